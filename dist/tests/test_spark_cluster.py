"""The deployable jar on a real Spark standalone cluster (a master and two workers, separate JVMs)
through the real spark-submit, against the shared devstack. The run is part of the seeded scenario
(airflow/tests/cluster_scenario.py): the cluster takes over the warehouse the scheduled DAG runs
made, runs the continuous pipeline with the hot path while the simulator runs, loses a worker to
SIGKILL mid-run, stops at SIGTERM and makes an available-now pass in cluster deploy mode; then every
table is checked against Kafka and PostgreSQL, and Redis against gold, and the recommendation model
is trained on the cluster."""

from __future__ import annotations

import re

import pytest

# What Spark logs at ERROR about a peer that died: the executor lost, replies its network layer
# could not send over the dead connection.
LOST_PEER = re.compile(r"Lost executor| ERROR Transport\w+: ")


@pytest.fixture(scope="module")
def cluster_run(seeded):
    return seeded.cluster


def test_tasks_ran_on_both_workers_executors(cluster_run):
    assert len(cluster_run.tasks_per_worker) == 2 and all(n > 0 for n in cluster_run.tasks_per_worker.values()), \
        cluster_run.tasks_per_worker


def test_the_pipeline_carried_on_after_a_worker_was_killed(cluster_run):
    assert re.search(r"Lost executor \d+ on 127\.0\.0\.1: worker lost", cluster_run.log)
    assert cluster_run.ingested_after_kill
    assert all(n >= 2 for n in cluster_run.batches_after_kill.values()), cluster_run.batches_after_kill
    # No job failed (the supervisor, JobRunner, logs each failure at ERROR): Spark rescheduled the
    # lost tasks. Any other ERROR but Spark's about the dead peer fails the test too.
    lines = cluster_run.log.splitlines()
    errors = [n for n, line in enumerate(lines) if " ERROR " in line and not LOST_PEER.search(line)]
    # Each with the exception lines after it, which say why.
    assert errors == [], "\n\n".join("\n".join(lines[n:n + 12]) for n in errors[:3])


def test_sigterm_stops_every_job(cluster_run):
    assert cluster_run.stop_code is not None
    stopped = re.findall(r"INFO (?:JobRunner|RealTimeStop): (\S+) stopped", cluster_run.log)
    assert "bronze.ingest" in stopped and "serving.availability_hot" in stopped and len(stopped) == len(set(stopped))
    # The stop runs in a shutdown hook, whose thread must still see the application jar's data sources.
    assert not re.search(r"ShutdownHook .* failed", cluster_run.log)


def test_redis_equals_gold_equals_postgres(cluster_run):
    out = cluster_run.checks.stdout
    assert cluster_run.checks.returncode == 0, out + cluster_run.checks.stderr[-3000:]
    assert "ok   serving gold.inventory_availability = Redis" in out
    assert "ok   gold    gold.inventory_availability = PostgreSQL inventory" in out


def test_an_available_now_pass_runs_in_cluster_deploy_mode(cluster_run):
    assert cluster_run.cluster_mode_driver == "FINISHED"


def test_every_table_reconciles_with_kafka_and_postgres(cluster_run):
    out = cluster_run.checks.stdout
    assert cluster_run.checks.returncode == 0, out + cluster_run.checks.stderr[-3000:]
    assert "ok   bronze  shop.inventory-0" in out and "ok   silver  silver.inventory = PostgreSQL inventory" in out
    assert "ok   apply   silver.clickstream: bronze " in out and "DIFF" not in out


def test_the_model_trains_on_the_cluster(cluster_run):
    train = cluster_run.models["train"]
    assert train.returncode == 0, train.stdout[-2000:] + train.stderr[-3000:]
    assert re.search(r"ndcg@10\s+\d\.\d+", train.stdout), train.stdout[-2000:]
