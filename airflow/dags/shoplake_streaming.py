"""Airflow DAGs. Streaming layers as scheduled runs: each task is one `Trigger.AvailableNow` pass of a job.

shoplake_ingest (every 5 minutes, never two at once): bronze.ingest, then every silver job
(current state, SCD2 history, order events, then the order lifecycle folded from them, and the
clickstream with its sessions), then ops.anomalies over what they landed and reported.
Each silver task marks its table's asset as updated; shoplake_gold_availability runs when
silver.inventory was (gold availability reads bronze.shop_inventory, landed earlier in the same
run; the snapshots read silver history), then publishes to Redis and Kafka and takes the hourly
stock snapshots that are due; shoplake_gold_funnel runs when silver.clickstream or
silver.orders was. The real-time hot path (serving.availability_hot) is a long-running process, not a scheduled task.
A run that finds no new data costs a
spark-submit and changes nothing: jobs resume from their checkpoints.
"""

from datetime import timedelta

from shoplake_dags.factory import asset, shoplake_dag, tasks_in_flow
from shoplake_dags.jobs import jobs_in_layer

with shoplake_dag(
    "shoplake_ingest",
    schedule=timedelta(minutes=5),
    description="Kafka -> bronze -> silver, then anomaly alerts, available-now, every 5 minutes",
    tags=["bronze", "silver"],
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
) as ingest:
    tasks_in_flow("bronze.ingest", *jobs_in_layer("silver"), "ops.anomalies")

with shoplake_dag(
    "shoplake_gold_availability",
    schedule=[asset("silver.inventory")],
    description="silver.inventory -> gold availability -> Redis/Kafka, when silver.inventory changed",
    tags=["gold", "serving"],
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
) as gold:
    # Hourly snapshots come from history, whenever this runs: an hour is taken once it is due.
    tasks_in_flow("gold.inventory_availability", "serving.availability", "gold.product_availability",
                  "gold.inventory_snapshots")

with shoplake_dag(
    "shoplake_gold_funnel",
    schedule=asset("silver.clickstream") | asset("silver.orders"),
    description="silver clickstream sessions and orders -> gold funnel per hour and revenue per minute",
    tags=["gold", "funnel"],
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
) as funnel:
    tasks_in_flow("gold.funnel_hourly", "gold.revenue_per_minute")
