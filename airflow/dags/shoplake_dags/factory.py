"""Builds tasks and DAGs from the job list: the only place a SparkSubmitOperator is made."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG, Asset

from shoplake_dags import settings
from shoplake_dags.jobs import Job, job, upstream

START = datetime(2026, 1, 1)

DEFAULT_ARGS = {
    "owner": settings.OWNER,
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(minutes=30),
}


def asset(table: str) -> Asset:
    """A registry table as an Airflow asset: `silver.inventory` -> x-shoplake://silver/inventory."""
    layer, name = table.split(".", 1)
    return Asset(name=table, uri=f"x-shoplake://{layer}/{name}", group="shoplake")


def shoplake_dag(dag_id: str, *, schedule, description: str, tags: list[str], **kwargs) -> DAG:
    return DAG(
        dag_id=dag_id,
        description=description,
        schedule=schedule,
        start_date=START,
        catchup=False,
        default_args=DEFAULT_ARGS,
        tags=["shoplake", *tags],
        user_defined_macros={"shoplake_jar": settings.shoplake_jar},
        doc_md=__doc__,
        **kwargs,
    )


def task(task_id: str) -> SparkSubmitOperator:
    """`spark-submit --class io.shoplake.cli.ShoplakeCli <jar> <args> --env <env>` for one job.

    Master and deploy mode come from the spark_default connection; endpoints and secrets
    (SHOPLAKE_WAREHOUSE, SHOPLAKE_KAFKA_BOOTSTRAP_SERVERS, SHOPLAKE_PII_KEY, ...) from the
    worker's environment, which spark-submit inherits.
    """
    spec: Job = job(task_id)
    if spec.pending:
        raise ValueError(f"{task_id} is pending ({spec.pending}); it cannot be scheduled yet")
    return SparkSubmitOperator(
        task_id=spec.task_id,
        conn_id=settings.SPARK_CONN_ID,
        application="{{ shoplake_jar() }}",
        java_class=settings.LAUNCHER_CLASS,
        application_args=[*spec.args, "--env",
                          "{{ var.value.get('%s', '%s') }}" % (settings.ENV_VARIABLE, settings.DEFAULT_ENV)],
        name=f"shoplake-{spec.task_id}",
        inlets=[asset(t) for t in spec.reads],
        outlets=[asset(t) for t in spec.writes],
        retries=spec.retries,
        execution_timeout=spec.timeout,
        owner=settings.OWNER,
    )


def tasks_in_flow(*task_ids: str) -> dict[str, SparkSubmitOperator]:
    """A task per job, each downstream of the tasks among them whose jobs write what it reads
    (the jar's graph): a DAG names its jobs, the graph orders them."""
    made = {task_id: task(task_id) for task_id in task_ids}
    for task_id, operator in made.items():
        for producer in upstream(task_id):
            if producer in made:
                made[producer] >> operator
    return made
