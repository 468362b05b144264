"""The one list of everything Airflow launches, and which tables each reads and writes.

A task is generated from an entry here and nowhere else. `args` is the launcher's command
line (`shoplake <args> --env <env>`): `run <job>` must name a job that `shoplake jobs`
prints; other commands must exist in the CLI. The DAG tests check both against the real jar.

Entries with `pending` set name work that other issues are building. They stay out of every
DAG until they exist; the tests fail as soon as one exists (so it gets switched on) and if a
live entry stops existing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class Job:
    task_id: str
    args: tuple[str, ...]
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    timeout: timedelta = timedelta(minutes=30)
    # A refusal is an answer, not a transient failure: such tasks are not retried.
    retries: int = 2
    pending: str | None = None
    extra_tags: tuple[str, ...] = field(default=())


BRONZE = ("bronze.shop_customers", "bronze.shop_products", "bronze.shop_inventory", "bronze.shop_orders",
          "bronze.shop_order_items", "bronze.events_order", "bronze.clickstream")
SILVER_CDC = ("customers", "products", "inventory", "orders", "order_items")
# Tables whose SCD2 history is kept (history.track in conf/base.conf).
SILVER_HISTORY = ("customers", "products", "inventory", "orders")

JOBS: tuple[Job, ...] = (
    Job("bronze.ingest", ("run", "bronze.ingest"), writes=BRONZE + ("quality.quarantine",)),
    *(Job(f"silver.{t}", ("run", f"silver.{t}"), reads=(f"bronze.shop_{t}",), writes=(f"silver.{t}",))
      for t in SILVER_CDC),
    *(Job(f"silver.{t}_history", ("run", f"silver.{t}_history"), reads=(f"bronze.shop_{t}",),
          writes=(f"silver.{t}_history",)) for t in SILVER_HISTORY),
    Job("silver.order_events", ("run", "silver.order_events"), reads=("bronze.events_order",),
        writes=("silver.order_events",)),
    Job("silver.order_lifecycle", ("run", "silver.order_lifecycle"), reads=("silver.order_events",),
        writes=("silver.order_lifecycle",)),
    # Writes silver.clickstream_sessions too; the task announces the table named after it.
    Job("silver.clickstream", ("run", "silver.clickstream"), reads=("bronze.clickstream",),
        writes=("silver.clickstream",)),
    # Reads the inventory CDC in bronze, beside silver.inventory (applied the same way).
    Job("gold.inventory_availability", ("run", "gold.inventory_availability"), reads=("bronze.shop_inventory",),
        writes=("gold.inventory_availability",)),
    Job("gold.product_availability", ("run", "gold.product_availability"), reads=("gold.inventory_availability",),
        writes=("gold.product_availability",)),
    Job("serving.availability", ("run", "serving.availability"), reads=("gold.inventory_availability",)),
    Job("gold.funnel_hourly", ("run", "gold.funnel_hourly"), reads=("silver.clickstream_sessions",),
        writes=("gold.funnel_hourly",)),
    Job("gold.revenue_per_minute", ("run", "gold.revenue_per_minute"), reads=("silver.orders",),
        writes=("gold.revenue_per_minute",)),
    Job("gold.inventory_snapshots", ("run", "gold.inventory_snapshots"), reads=("silver.inventory_history",),
        writes=("gold.inventory_snapshots",)),
    # Gold batch jobs: each run is one recomputation from silver (segments with abandoned carts,
    # price recommendations), then the serving jobs publish what changed from the change feeds.
    Job("gold.customer_segments", ("run", "gold.customer_segments"),
        reads=("silver.orders", "silver.products", "silver.clickstream"),
        writes=("gold.customer_segments", "gold.abandoned_carts")),
    Job("gold.price_recommendations", ("run", "gold.price_recommendations"),
        reads=("silver.orders", "silver.order_items", "silver.products", "silver.clickstream",
               "gold.product_availability"),
        writes=("gold.price_recommendations",)),
    Job("serving.segments", ("run", "serving.segments"), reads=("gold.customer_segments",)),
    Job("serving.abandoned_carts", ("run", "serving.abandoned_carts"), reads=("gold.abandoned_carts",)),
    Job("serving.prices", ("run", "serving.prices"), reads=("gold.price_recommendations",)),
    # Recommendations: training evaluates the candidate beside the champion and the popularity
    # baseline and registers it; the gate then promotes the newest candidate or refuses it.
    Job("models.train", ("models", "train"), reads=("silver.orders", "silver.order_items"),
        timeout=timedelta(hours=2)),
    # The gate: exits non-zero when the candidate is not better; the run then fails, visibly.
    Job("models.promote", ("models", "promote"), retries=0, timeout=timedelta(minutes=15)),
    Job("maintenance.optimize", ("maintain", "optimize"), timeout=timedelta(hours=2)),
    Job("maintenance.vacuum", ("maintain", "vacuum"), timeout=timedelta(hours=2)),
    # Exit 3 = a difference: a finding to look at, not something a retry fixes.
    Job("check.reconcile", ("check", "reconcile"), retries=0, timeout=timedelta(hours=1)),
)

BY_ID = {job.task_id: job for job in JOBS}


def job(task_id: str) -> Job:
    return BY_ID[task_id]


def live(*task_ids: str) -> bool:
    """True when every named job exists: a DAG made of pending jobs is not defined yet."""
    return all(BY_ID[t].pending is None for t in task_ids)
