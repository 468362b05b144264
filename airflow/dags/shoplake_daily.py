"""Airflow DAGs. Daily gold: customer segments (with abandoned carts) and price recommendations, then their serving."""

from datetime import timedelta

from shoplake_dags.factory import shoplake_dag, tasks_in_flow
from shoplake_dags.jobs import live

if live("gold.customer_segments", "gold.price_recommendations"):
    with shoplake_dag(
        "shoplake_daily_gold",
        schedule="0 2 * * *",
        description="RFM segments and price recommendations from silver, once a day",
        tags=["gold", "segments", "pricing"],
        max_active_runs=1,
        dagrun_timeout=timedelta(hours=4),
    ) as daily:
        tasks_in_flow("gold.customer_segments", "serving.segments", "serving.abandoned_carts",
                      "gold.price_recommendations", "serving.prices")
