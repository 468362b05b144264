"""Airflow DAGs. Weekly recommendation model: train (which evaluates), then the promote gate.

`shoplake models promote` refuses (exits non-zero) when the candidate is not better than
the model in service; that task is not retried, so the run stops there, red, and the old
model keeps serving. Defined once the models commands exist.
"""

from datetime import timedelta

from shoplake_dags.factory import shoplake_dag, task
from shoplake_dags.jobs import live

if live("models.train", "models.promote"):
    with shoplake_dag(
        "shoplake_recommendations_weekly",
        schedule="0 4 * * 0",
        description="ALS retrain and evaluation -> promote gate, weekly",
        tags=["models", "recommendations"],
        max_active_runs=1,
        dagrun_timeout=timedelta(hours=6),
    ) as weekly:
        task("models.train") >> task("models.promote")
