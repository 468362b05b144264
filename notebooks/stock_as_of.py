# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Stock at a past time
#
# "How much of each product did we have at 14:00 yesterday?" Every Shoplake table is a Delta
# table, and Delta keeps its past versions: `TIMESTAMP AS OF` reads `silver.inventory` as it
# was at that moment, within the VACUUM retention (7 days by default,
# `shoplake.maintenance.vacuum-retention`).
#
# Time travel answers with what *silver* held at that time, which trails the shop by the
# pipeline's delay (a few minutes under the 5-minute schedule). When the silver SCD2 history
# table `silver.inventory_history` exists, this notebook also reads the shop's own timeline
# from it (`valid_from` / `valid_to`, in the shop's commit time).
#
# Connects through Spark Connect (`shoplake sql-server`); tables are queried by name only.

# %%
import json
import os
from datetime import datetime, timedelta, timezone

import matplotlib.pyplot as plt
import pandas as pd
from pyspark.sql import SparkSession

CONNECT_URL = os.environ.get("SHOPLAKE_CONNECT_URL", "sc://localhost:15002")
spark = SparkSession.builder.remote(CONNECT_URL).getOrCreate()

# %% tags=["parameters"]
# The moment to look at (ISO-8601, UTC). Unset: one hour ago.
AS_OF = os.environ.get("SHOPLAKE_AS_OF")
# A file with the stock recorded at AS_OF by someone else (the tests' seeded run records it
# from PostgreSQL); when given, the notebook checks its answer against it.
EXPECTED_FILE = os.environ.get("SHOPLAKE_ASOF_EXPECTED")

# %%
expected = json.load(open(EXPECTED_FILE)) if EXPECTED_FILE else None
if expected:
    AS_OF = expected["as_of"]
if not AS_OF:
    AS_OF = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat(timespec="seconds")

history = spark.sql("DESCRIBE HISTORY silver.inventory").select("version", "timestamp", "operation").toPandas()
first_commit = history["timestamp"].min()
as_of_utc = pd.Timestamp(AS_OF)
as_of_utc = as_of_utc.tz_convert("UTC").tz_localize(None) if as_of_utc.tzinfo else as_of_utc
# Before the table's first commit there is nothing to travel to: say so rather than fail obscurely.
assert as_of_utc >= first_commit, f"{AS_OF} is before silver.inventory's first commit ({first_commit} UTC)"
print(f"as of {AS_OF}; silver.inventory has {len(history)} versions since {first_commit}")
history.head(10)

# %% [markdown]
# ## Stock per product and location at that time

# %%
STOCK = """
SELECT product_id, location_id, on_hand, reserved, greatest(on_hand - reserved, 0) AS available
FROM silver.inventory {version}
WHERE NOT _is_deleted
"""
as_of = spark.sql(STOCK.format(version=f"TIMESTAMP AS OF '{AS_OF}'")).toPandas()
now = spark.sql(STOCK.format(version="")).toPandas()

assert len(as_of) > 0, "no stock rows at that time"
assert (as_of[["on_hand", "reserved"]] >= 0).all().all(), "negative stock"
assert as_of.set_index(["product_id", "location_id"]).index.is_unique, "one row per product and location"
as_of.sort_values(["product_id", "location_id"]).head(10)

# %%
if expected:
    # The stock the simulator had at AS_OF (recorded from PostgreSQL while nothing changed).
    truth = pd.DataFrame(expected["stock"])
    merged = truth.merge(as_of, on=["product_id", "location_id"], how="outer", suffixes=("_shop", "_silver"),
                         indicator=True)
    differing = merged[(merged["_merge"] != "both")
                       | (merged["on_hand_shop"] != merged["on_hand_silver"])
                       | (merged["reserved_shop"] != merged["reserved_silver"])]
    assert differing.empty, f"{len(differing)} rows differ from the shop's stock at {AS_OF}:\n{differing.head(20)}"
    print(f"all {len(truth)} product/location rows equal the shop's stock at {AS_OF}")

# %% [markdown]
# ## Then and now, per location

# %%
per_location = pd.DataFrame({
    "as of": as_of.groupby("location_id")["available"].sum(),
    "now": now.groupby("location_id")["available"].sum(),
}).fillna(0).astype(int)
changed = (as_of.merge(now, on=["product_id", "location_id"], suffixes=("_then", "_now"))
           .query("on_hand_then != on_hand_now or reserved_then != reserved_now"))
print(f"{len(changed)} product/location rows changed since {AS_OF}")
if expected:
    # The seeded run changed stock after AS_OF: an answer equal to "now" would be a wrong answer.
    assert len(changed) > 0, "time travel returned the current state"
ax = per_location.plot.bar(title=f"Units available to promise: {AS_OF[:19]} vs now", rot=0)
ax.set_ylabel("units")
plt.tight_layout()
per_location

# %% [markdown]
# ## The same question to the gold table, by name
# `gold.inventory_availability` is what the storefront is served; it travels in time the same way.

# %%
gold_now = spark.sql("SELECT * FROM gold.inventory_availability").toPandas()
gold_then = spark.sql(
    f"SELECT product_id, location_id, available FROM gold.inventory_availability TIMESTAMP AS OF '{AS_OF}'"
    " WHERE NOT is_deleted").toPandas()
assert {"product_id", "location_id", "available", "version"} <= set(gold_now.columns)
check = gold_then.merge(as_of, on=["product_id", "location_id"], suffixes=("_gold", "_silver"))
assert len(check) == len(as_of), "gold covers every silver row"
assert (check["available_gold"] == check["available_silver"]).all(), "gold = max(on_hand - reserved, 0)"
gold_now.head(5)

# %% [markdown]
# ## The shop's own timeline (SCD2 history), when silver has it

# %%
silver_tables = {r.tableName for r in spark.sql("SHOW TABLES IN silver").collect()}
if "inventory_history" in silver_tables:
    scd2 = spark.sql(f"""
        SELECT product_id, location_id, on_hand, reserved
        FROM silver.inventory_history
        WHERE valid_from <= TIMESTAMP '{AS_OF}' AND (valid_to IS NULL OR valid_to > TIMESTAMP '{AS_OF}')
          AND NOT _is_deleted
    """).toPandas()
    print(f"SCD2 history: {len(scd2)} rows valid at {AS_OF}")
    if expected:
        # Nothing changed in the shop around AS_OF in the seeded run: both timelines agree there.
        both = scd2.merge(as_of, on=["product_id", "location_id"], suffixes=("_scd2", "_tt"))
        assert len(both) == len(as_of) and (both["on_hand_scd2"] == both["on_hand_tt"]).all()
else:
    print("silver.inventory_history does not exist yet: Delta time travel above is the answer")
