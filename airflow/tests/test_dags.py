"""The Shoplake DAGs: they load, they are built from the one job list, every task names a job
that the real jar has, and one scheduled run executes for real against the devstack."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from shoplake_stack import DAGS, ROOT, inventory_in_postgres, spark_submit

from airflow.dag_processing.dagbag import BundleDagBag
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

from shoplake_dags import settings
from shoplake_dags.jobs import GRAPH, JOBS, Job

# dag id -> task id -> its downstream task ids. Written out, so a change to the graph is a
# change to this test too.
EXPECTED_GRAPH = {
    "shoplake_ingest": {
        "bronze.ingest": {"silver.customers", "silver.products", "silver.inventory", "silver.orders",
                          "silver.order_items", "silver.order_events", "silver.clickstream", "ops.anomalies"},
        "silver.customers": {"ops.anomalies"}, "silver.products": {"ops.anomalies"},
        "silver.inventory": {"ops.anomalies"}, "silver.orders": {"ops.anomalies"},
        "silver.order_items": {"ops.anomalies"},
        "silver.order_events": {"silver.order_lifecycle", "ops.anomalies"}, "silver.order_lifecycle": set(),
        "silver.clickstream": {"ops.anomalies"},
        # It reads bronze, what the jobs quarantined and the batches they report.
        "ops.anomalies": set(),
    },
    "shoplake_gold_availability": {"gold.inventory_availability": {"serving.availability", "gold.product_availability"},
                                   "serving.availability": set(), "gold.product_availability": set(),
                                   "gold.inventory_snapshots": set()},
    "shoplake_gold_funnel": {"gold.funnel_hourly": set(), "gold.revenue_per_minute": set()},
    "shoplake_maintenance": {"maintenance.optimize": {"maintenance.vacuum"}, "maintenance.vacuum": set()},
    "shoplake_reconcile": {"check.reconcile": set()},
    "shoplake_recommendations_weekly": {"models.train": {"models.promote"}, "models.promote": set()},
    "shoplake_daily_gold": {
        "gold.customer_segments": {"serving.segments", "serving.abandoned_carts"},
        "serving.segments": set(), "serving.abandoned_carts": set(),
        "gold.price_recommendations": {"serving.prices"}, "serving.prices": set(),
    },
}


def load(folder: Path = DAGS) -> BundleDagBag:
    return BundleDagBag(dag_folder=str(folder), bundle_path=folder, bundle_name="dags-folder")


@pytest.fixture(scope="module")
def bag() -> BundleDagBag:
    return load()


def spark_tasks(bag):
    return [(dag, t) for dag in bag.dags.values() for t in dag.tasks]


def test_dag_folder_loads_without_import_errors(bag):
    assert bag.import_errors == {}
    assert set(bag.dags) == set(EXPECTED_GRAPH)


def test_a_dag_file_that_does_not_parse_is_reported(tmp_path):
    # The check above is only worth something if a broken file shows up in import_errors.
    folder = tmp_path / "dags"
    shutil.copytree(DAGS, folder)
    (folder / "shoplake_broken.py").write_text("# airflow dag\nfrom shoplake_dags.factory import task\ntask(\n")
    broken = load(folder)
    assert [Path(f).name for f in broken.import_errors] == ["shoplake_broken.py"]


def test_every_dag_has_tags_owner_retries_and_timeouts(bag):
    for dag in bag.dags.values():
        assert "shoplake" in dag.tags and len(dag.tags) > 1, dag.dag_id
        assert dag.max_active_runs == 1, dag.dag_id
        assert dag.dagrun_timeout is not None, dag.dag_id
        assert dag.catchup is False, dag.dag_id
        for task in dag.tasks:
            where = f"{dag.dag_id}.{task.task_id}"
            assert task.owner == settings.OWNER, where
            assert task.retries == JOBS_BY_ID[task.task_id].retries, where
            assert task.execution_timeout is not None and task.execution_timeout > timedelta(0), where
            assert task.retry_delay > timedelta(0), where


def test_task_graph_matches_the_expected_structure(bag):
    actual = {dag_id: {t.task_id: set(t.downstream_task_ids) for t in dag.tasks} for dag_id, dag in bag.dags.items()}
    assert actual == EXPECTED_GRAPH


def test_schedules(bag):
    assert bag.dags["shoplake_ingest"].schedule == timedelta(minutes=5)
    # Gold runs when the scheduler sees silver.inventory updated, not on a clock.
    assert [a.name for a in bag.dags["shoplake_gold_availability"].schedule] == ["silver.inventory"]
    assert bag.dags["shoplake_reconcile"].schedule is None
    assert bag.dags["shoplake_maintenance"].schedule == "30 3 * * *"
    assert bag.dags["shoplake_daily_gold"].schedule == "0 2 * * *"


def test_every_silver_task_announces_its_table(bag):
    ingest = bag.dags["shoplake_ingest"]
    for task in ingest.tasks:
        if task.task_id.startswith("silver."):
            announced = [a.name for a in task.outlets]
            assert task.task_id in announced
            assert announced == GRAPH[task.task_id]["writes"]
            assert [a.name for a in task.inlets] == GRAPH[task.task_id]["reads"]


def test_the_job_graph_the_dags_read_is_the_jars(jar_listings):
    # Regenerate with: bin/shoplake jobs --json --env cluster > airflow/dags/shoplake_dags/job_graph.json
    result = jar_listings[2]
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == json.loads((DAGS / "shoplake_dags" / "job_graph.json").read_text())


JOBS_BY_ID = {job.task_id: job for job in JOBS}


def test_every_task_is_a_spark_submit_generated_from_the_job_list(bag):
    for dag, task in spark_tasks(bag):
        assert isinstance(task, SparkSubmitOperator), f"{dag.dag_id}.{task.task_id}"
        job = JOBS_BY_ID[task.task_id]
        assert job.pending is None
        assert task.application_args[: len(job.args)] == list(job.args)
        assert task.application_args[len(job.args)] == "--env"
        assert task._conn_id == settings.SPARK_CONN_ID
        assert task._java_class == settings.LAUNCHER_CLASS
        # The jar path is resolved when the task runs: from the Variable, else the one default.
        assert task.application == "{{ shoplake_jar() }}"


def missing_from_jar(job: Job, jobs_in_jar: set[str], commands_in_jar: set[str]) -> bool:
    """True when the jar has no such job (`shoplake jobs`) or command (`shoplake jobs --commands`)."""
    if job.args[0] == "run":
        return job.args[1] not in jobs_in_jar
    return " ".join(job.args) not in commands_in_jar


def test_every_scheduled_job_exists_in_the_jar(bag, shoplake_jobs, shoplake_commands):
    assert {"bronze.ingest", "silver.inventory", "gold.inventory_availability"} <= shoplake_jobs
    scheduled = {task.task_id for _, task in spark_tasks(bag)}
    missing = [t for t in sorted(scheduled) if missing_from_jar(JOBS_BY_ID[t], shoplake_jobs, shoplake_commands)]
    assert missing == [], "tasks pointing at jobs or commands the jar does not have"


def test_a_task_pointing_at_a_job_that_does_not_exist_is_caught(shoplake_jobs, shoplake_commands):
    assert missing_from_jar(Job("silver.nosuch", ("run", "silver.nosuch")), shoplake_jobs, shoplake_commands)
    assert missing_from_jar(Job("maintenance.defrag", ("maintain", "defrag")), shoplake_jobs, shoplake_commands)
    assert missing_from_jar(Job("x.y", ("nosuchcommand", "x")), shoplake_jobs, shoplake_commands)


def test_pending_jobs_are_unscheduled_and_still_missing(bag, shoplake_jobs, shoplake_commands):
    pending = [job for job in JOBS if job.pending]
    scheduled = {task.task_id for _, task in spark_tasks(bag)}
    assert not scheduled & {job.task_id for job in pending}
    # Once one exists, this fails: clear its `pending` in jobs.py so its DAG is defined.
    arrived = [job.task_id for job in pending if not missing_from_jar(job, shoplake_jobs, shoplake_commands)]
    assert arrived == [], "pending jobs that now exist: switch them on in airflow/dags/shoplake_dags/jobs.py"


def test_dags_waiting_for_pending_jobs_are_ready(monkeypatch):
    # Their definitions are in the repo: check their shape now, as if their jobs had landed.
    import dataclasses
    import runpy

    from shoplake_dags import jobs

    monkeypatch.setattr(jobs, "BY_ID", {k: dataclasses.replace(j, pending=None) for k, j in jobs.BY_ID.items()})
    weekly = runpy.run_path(str(DAGS / "shoplake_recommendations.py"))["weekly"]
    assert {t.task_id: set(t.downstream_task_ids) for t in weekly.tasks} == {
        "models.train": {"models.promote"}, "models.promote": set()}
    # A refusal of the promote gate ends the run there, failed and visible; it is not retried.
    assert weekly.get_task("models.promote").retries == 0
    assert weekly.schedule == "0 4 * * 0"


def test_every_live_job_is_scheduled(bag):
    scheduled = {task.task_id for _, task in spark_tasks(bag)}
    assert {job.task_id for job in JOBS if not job.pending} == scheduled


def test_jar_comes_from_the_variable_else_the_one_default(monkeypatch):
    jar = settings.shoplake_jar()
    assert Path(jar).is_file() and Path(jar).parent == ROOT / "dist" / "target", jar
    monkeypatch.setenv("AIRFLOW_VAR_SHOPLAKE_JAR", "s3a://artifacts/shoplake-0.1.0.jar")
    assert settings.shoplake_jar() == "s3a://artifacts/shoplake-0.1.0.jar"


# --- the real run ---------------------------------------------------------------------------


def test_scheduled_runs_succeed_for_real(seeded):
    from airflow.utils.state import DagRunState, TaskInstanceState

    for dag_id, run in seeded.dag_runs.items():
        assert run.state == DagRunState.SUCCESS, dag_id
    ran = {ti.task_id: ti.state for run in seeded.dag_runs.values() for ti in run.get_task_instances()}
    for task_id in ("bronze.ingest", "silver.inventory", "gold.inventory_availability", "gold.product_availability"):
        assert ran[task_id] == TaskInstanceState.SUCCESS


def test_the_run_announced_the_silver_tables_it_updated(seeded):
    # These events are what starts shoplake_gold_availability under the scheduler.
    assert "silver.inventory" in seeded.asset_events
    assert "gold.inventory_availability" in seeded.asset_events


def test_the_run_landed_the_shop_in_bronze_silver_and_gold(seeded, connect):
    as_of = seeded.as_of
    silver = {f"{r.product_id}/{r.location_id}": (r.on_hand, r.reserved) for r in connect.sql(
        f"SELECT product_id, location_id, on_hand, reserved FROM silver.inventory TIMESTAMP AS OF '{as_of}'"
        " WHERE NOT _is_deleted").collect()}
    # The DAG runs alone produced silver as of T: equal to PostgreSQL's stock at T.
    assert len(seeded.stock_as_of) > 100
    assert silver == seeded.stock_as_of
    gold = {f"{r.product_id}/{r.location_id}": r.available for r in connect.sql(
        f"SELECT product_id, location_id, available FROM gold.inventory_availability TIMESTAMP AS OF '{as_of}'"
        " WHERE NOT is_deleted").collect()}
    assert gold == {k: max(on_hand - reserved, 0) for k, (on_hand, reserved) in seeded.stock_as_of.items()}
    totals = {r.product_id: r.available for r in connect.sql(
        f"SELECT product_id, available FROM gold.product_availability TIMESTAMP AS OF '{as_of}'").collect()}
    expected_totals: dict[int, int] = {}
    for key, available in gold.items():
        product = int(key.split("/")[0])
        expected_totals[product] = expected_totals.get(product, 0) + available
    # Products whose every location was deleted stay, with nothing available.
    assert {p: n for p, n in totals.items() if p in expected_totals} == expected_totals
    assert all(n == 0 for p, n in totals.items() if p not in expected_totals)
    # Bronze is restricted (the analysts' server does not serve it): its ingest reports what it landed.
    assert connect.sql("SELECT sum(applied) AS n FROM quality.pipeline_events WHERE job = 'bronze.ingest'").first().n > 0


def test_a_later_pass_brings_silver_to_the_current_shop(seeded, connect, devstack):
    now = inventory_in_postgres(devstack)
    assert now != seeded.stock_as_of, "the second simulator phase changed stock"
    current = {f"{r.product_id}/{r.location_id}": (r.on_hand, r.reserved) for r in connect.sql(
        "SELECT product_id, location_id, on_hand, reserved FROM silver.inventory WHERE NOT _is_deleted").collect()}
    assert current == now

