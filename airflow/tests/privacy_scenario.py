"""The last step of the seeded scenario (shoplake_stack): after everything else has written the
warehouse and trained the models, the shop's most active customer is erased with `privacy
forget` through the deployable jar, as an engineer would run it. Its tests are in
test_privacy.py; where the customer was is recorded before and after. (The search of every file
under a warehouse after `maintain vacuum --erasure` is the integration test PrivacyForgetIT.)"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
from shoplake_stack import spark_submit, timed


@dataclass
class Forgotten:
    customer_id: int
    redis_before: list[str] = field(default_factory=list)
    factors_before: list[str] = field(default_factory=list)
    forget: subprocess.CompletedProcess | None = None
    redis_after: list[str] = field(default_factory=list)
    factors_after: list[str] = field(default_factory=list)


def redis_keys_of(environment: dict[str, str], customer_id: int) -> list[str]:
    cli = shutil.which("redis-cli") or "/usr/bin/redis-cli"
    keys = subprocess.run([cli, "-h", environment["SHOPLAKE_REDIS_HOST"], "-p", environment["SHOPLAKE_REDIS_PORT"],
                           "--scan"], capture_output=True, text=True, check=True, timeout=60).stdout.split()
    # Keys by customer id; a product's (price:<id>) may share the number.
    return sorted(k for k in keys if re.search(rf":(segments|recommendations):{customer_id}$", k))


def model_versions_knowing(warehouse: Path, customer_id: int) -> list[str]:
    """Trained model versions whose user factors (ALS keeps users as `id`) hold the customer."""
    return sorted(version.name for version in (warehouse / "_models" / "recommendations").glob("v*")
                  if customer_id in pq.read_table(version / "userFactors").column("id").to_pylist())


def forget_most_active_customer(devstack, warehouse: Path, conf: list[str], spared: int) -> Forgotten:
    """`spared`: the planted customer, whom another test searches for."""
    customer_id = int(devstack.psql(
        f"SELECT customer_id FROM orders WHERE customer_id <> {spared} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")[0][0])
    forgotten = Forgotten(customer_id=customer_id)
    env = devstack.environment()
    forgotten.redis_before = redis_keys_of(env, customer_id)
    forgotten.factors_before = model_versions_knowing(warehouse, customer_id)
    with timed("spark-submit privacy forget"):
        forgotten.forget = spark_submit("privacy", "forget", "--customer", str(customer_id), *conf, env=env)
    forgotten.redis_after = redis_keys_of(env, customer_id)
    forgotten.factors_after = model_versions_knowing(warehouse, customer_id)
    return forgotten
