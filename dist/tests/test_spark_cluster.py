"""The deployable jar on a real Spark standalone cluster (a master and two workers, separate JVMs)
through the real spark-submit, against the shared devstack: the continuous pipeline with the hot
path while the simulator runs, one worker SIGKILLed mid-run, then an available-now pass in cluster
deploy mode, the recommendation model trained, and every check against Kafka and PostgreSQL.

Its warehouse, Redis keys and consumer groups are its own; it reads the same Kafka topics from
their start, so it lands the seeded scenario's changes as well as its own."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field

import pytest
from shoplake_stack import SparkCluster, free_port, spark_submit, timed

SETTLE_TIMEOUT = 300


@dataclass
class ClusterRun:
    env: dict[str, str]
    conf: list[str]
    tasks_per_worker: dict[str, int] = field(default_factory=dict)
    killed_worker: str = ""
    ingested_after_kill: bool = False
    batches_after_kill: dict[str, float] = field(default_factory=dict)
    stop_code: int | None = None
    log: str = ""
    serving: subprocess.CompletedProcess | None = None
    cluster_mode_driver: str = ""
    models: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    reconcile: subprocess.CompletedProcess | None = None


def metrics(port: int) -> dict[str, float]:
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    except OSError:
        return {}
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in body.splitlines()
            if line.startswith("shoplake_")}


def series(values: dict[str, float], name: str, job: str) -> list[float]:
    return [v for k, v in values.items() if k.startswith(name + "{") and f'shoplake_job="{job}"' in k]


def await_(condition, what: str, timeout: float = SETTLE_TIMEOUT, every: float = 2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def cluster(run_dir):
    with timed("cluster: master and two workers up"):
        spark = SparkCluster(run_dir / "spark-cluster")
    yield spark
    spark.close()


@pytest.fixture(scope="module")
def cluster_run(devstack, cluster, run_dir) -> ClusterRun:
    warehouse = run_dir / "cluster-warehouse"
    run = ClusterRun(
        env={**devstack.environment(), "SHOPLAKE_WAREHOUSE": warehouse.as_uri(),
             "SHOPLAKE_PII_KEY": "cluster-" + os.urandom(8).hex()},
        # Sized to this small cluster, as a deployment sizes them to its own.
        conf=["--env", "cluster", "--conf", "shoplake.spark.shuffle-partitions=4",
              "--conf", 'shoplake.spark.conf."spark.databricks.delta.snapshotPartitions"=2',
              "--conf", "shoplake.redis.key-prefix=cluster", "--conf", "shoplake.kafka.consumer-group-prefix=cluster."])
    metrics_port, ui_port = free_port(), free_port()
    log = run_dir / "cluster-continuous.log"
    with timed("cluster: continuous run, simulator, a worker killed"):
        process = subprocess.Popen(
            cluster.submit_command("run", "pipeline", "--continuous", *run.conf,
                                   "--conf", f"shoplake.metrics.port={metrics_port}",
                                   spark_conf={"spark.ui.port": str(ui_port)}),
            env={**os.environ, **run.env}, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
        try:
            app = await_(lambda: next(iter(a["id"] for a in (cluster.state() or {}).get("activeapps", [])), None),
                         "the application to register with the master")
            devstack.simulate("--duration", "10s", "--rate", "40", "--seed", "2026120601")

            def placement() -> dict[str, int] | None:
                by_id = {e["id"]: e["totalTasks"] for e in json.loads(urllib.request.urlopen(
                    f"http://127.0.0.1:{ui_port}/api/v1/applications/{app}/executors", timeout=5).read())}
                tasks = {worker: sum(by_id.get(str(e), 0) for e in executors)
                         for worker, executors in cluster.executors_by_worker(app).items()}
                return tasks if len(tasks) == 2 and all(tasks.values()) else None

            run.tasks_per_worker = await_(placement, "tasks on both workers' executors")
            # SIGKILL one worker JVM mid-run: its executor goes with it; Spark reschedules.
            victim = cluster.workers[0]
            run.killed_worker = next(w for w, _ in sorted(run.tasks_per_worker.items()))
            victim.kill()
            before = metrics(metrics_port)
            devstack.simulate("--duration", "8s", "--rate", "40", "--seed", "2026120602")

            def caught_up() -> bool:
                now = metrics(metrics_port)
                lag = series(now, "shoplake_kafka_lag_records", "bronze.ingest")
                return bool(lag) and sum(lag) == 0 and now

            caught = await_(caught_up, "bronze.ingest to catch up after the worker was lost")
            run.ingested_after_kill = sum(series(caught, "shoplake_job_input_rows_total", "bronze.ingest")) > sum(
                series(before, "shoplake_job_input_rows_total", "bronze.ingest"))
            settled_from = {job: sum(series(caught, "shoplake_job_batches_total", job))
                            for job in ("gold.inventory_availability", "serving.availability")}
            # Two more batches of each hop after ingest caught up: gold and Redis hold the last change.
            await_(lambda: all(sum(series(metrics(metrics_port), "shoplake_job_batches_total", job)) >= n + 2
                               for job, n in settled_from.items()), "gold and serving to take what ingest landed")
            run.batches_after_kill = {job: sum(series(metrics(metrics_port), "shoplake_job_batches_total", job))
                                      - sum(series(before, "shoplake_job_batches_total", job))
                                      for job in ("bronze.ingest", "gold.inventory_availability", "serving.availability")}
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                run.stop_code = process.wait(120)
            except subprocess.TimeoutExpired:
                process.kill()
        run.log = log.read_text()

    with timed("cluster: check serving (local master)"):
        run.serving = spark_submit("check", "serving", *run.conf, env=run.env)
    with timed("cluster: available-now pass, cluster deploy mode"):
        # The jobs the continuous run had not reached yet catch up; the driver runs on the remaining worker.
        submitted = cluster.submit("run", "pipeline", *run.conf, env=run.env, deploy_mode="cluster",
                                   executor_cores=3, cores=3)
        assert submitted.returncode == 0, submitted.stderr[-3000:]
        driver = re.search(r"(driver-\d+-\d+)", submitted.stderr).group(1)
        run.cluster_mode_driver = await_(lambda: next((d["state"] for d in cluster.state()["completeddrivers"]
                                                       if d["id"] == driver), None),
                                         "the cluster-mode driver to finish", timeout=900, every=5)
    with timed("cluster: check reconcile"):
        run.reconcile = cluster.submit("check", "reconcile", *run.conf, env=run.env)
    # ALS on the executors; the held-out part is the second simulator phase (8 s), everything before it trains.
    with timed("cluster: models train"):
        run.models["train"] = cluster.submit(
            "models", "train", *run.conf, "--conf", "shoplake.models.split.test-period=10s",
            "--conf", "shoplake.models.training.validation-period=5s",
            "--conf", "shoplake.models.training.time-budget=1s", env=run.env)
    return run


def test_tasks_ran_on_both_workers_executors(cluster_run):
    assert len(cluster_run.tasks_per_worker) == 2 and all(n > 0 for n in cluster_run.tasks_per_worker.values()), \
        cluster_run.tasks_per_worker


def test_the_pipeline_carried_on_after_a_worker_was_killed(cluster_run):
    assert re.search(r"Lost executor \d+ on 127\.0\.0\.1: worker lost", cluster_run.log)
    assert cluster_run.ingested_after_kill
    assert all(n >= 2 for n in cluster_run.batches_after_kill.values()), cluster_run.batches_after_kill
    # No job failed (the supervisor logs each failure at ERROR): Spark rescheduled the lost tasks.
    errors = [line for line in cluster_run.log.splitlines() if " ERROR " in line and "Lost executor" not in line]
    assert errors == [], errors[:5]


def test_sigterm_stops_every_job(cluster_run):
    assert cluster_run.stop_code is not None
    stopped = re.findall(r"INFO (?:JobRunner|RealTimeStop): (\S+) stopped", cluster_run.log)
    assert "bronze.ingest" in stopped and "serving.availability_hot" in stopped and len(stopped) == len(set(stopped))
    # The stop runs in a shutdown hook, whose thread must still see the application jar's data sources.
    assert not re.search(r"ShutdownHook .* failed", cluster_run.log)


def test_redis_equals_gold_equals_postgres(cluster_run):
    assert cluster_run.serving.returncode == 0, cluster_run.serving.stdout + cluster_run.serving.stderr[-3000:]
    assert "ok   serving gold.inventory_availability = Redis" in cluster_run.serving.stdout
    assert "ok   gold    gold.inventory_availability = PostgreSQL inventory" in cluster_run.serving.stdout


def test_an_available_now_pass_runs_in_cluster_deploy_mode(cluster_run):
    assert cluster_run.cluster_mode_driver == "FINISHED"


def test_every_table_reconciles_with_kafka_and_postgres(cluster_run):
    out = cluster_run.reconcile.stdout
    assert cluster_run.reconcile.returncode == 0, out + cluster_run.reconcile.stderr[-3000:]
    assert "ok   bronze  shop.inventory-0" in out and "ok   silver  silver.inventory = PostgreSQL inventory" in out
    assert "ok   apply   silver.clickstream: bronze " in out and "DIFF" not in out


def test_the_model_trains_on_the_cluster(cluster_run):
    train = cluster_run.models["train"]
    assert train.returncode == 0, train.stdout[-2000:] + train.stderr[-3000:]
    assert re.search(r"ndcg@10\s+\d\.\d+", train.stdout), train.stdout[-2000:]
