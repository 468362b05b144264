"""Airflow DAGs. Nightly table maintenance and the on-demand reconciliation check.

OPTIMIZE compacts what the 5-minute runs leave in small files; VACUUM then deletes files no
longer referenced that are older than shoplake.maintenance.vacuum-retention (7 days by
default; `maintain vacuum` refuses less): that is how far back analysts can time-travel.
"""

from datetime import timedelta

from shoplake_dags.factory import shoplake_dag, task

with shoplake_dag(
    "shoplake_maintenance",
    schedule="30 3 * * *",
    description="OPTIMIZE then VACUUM every registry table, nightly",
    tags=["maintenance"],
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=5),
) as maintenance:
    task("maintenance.optimize") >> task("maintenance.vacuum")

with shoplake_dag(
    "shoplake_reconcile",
    schedule=None,
    description="On demand: bronze = Kafka, silver = PostgreSQL (shoplake check reconcile)",
    tags=["quality"],
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
) as reconcile:
    task("check.reconcile")
