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
# # Customer segments and their movement
#
# Who the shop's customers are right now (`gold.customer_segments`: RFM segments from
# orders, category affinity and cart abandoners from sessions), and how membership moved
# between computations, read from the table's change feed (`table_changes`): an insert is a
# customer entering a segment, a delete is one leaving it. Customer ids only: no personal data.

# %%
import os

import matplotlib.pyplot as plt
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

CONNECT_URL = os.environ.get("SHOPLAKE_CONNECT_URL", "sc://localhost:15002")
spark = SparkSession.builder.remote(CONNECT_URL).getOrCreate()
# Where to save the plot as a PNG; unset: not saved.
PLOT_DIR = os.environ.get("SHOPLAKE_NOTEBOOK_PLOTS")

# %% [markdown]
# ## Current segments

# %%
segments = spark.table("gold.customer_segments")
rfm = segments.where(F.col("segment_type") == "rfm")
sizes = (segments.groupBy("segment_type", "segment").agg(F.count("*").alias("customers"))
         .orderBy("segment_type", F.desc("customers")).toPandas())
sizes

# %%
# Every customer with a counted order (live, not cancelled) has exactly one RFM segment, and
# nobody else has one: the table agrees with silver.orders. An erased customer's orders stay,
# without the customer (`privacy forget`): they are nobody's.
counted = (spark.table("silver.orders")
           .where(~F.col("_is_deleted") & (F.col("status") != "cancelled") & F.col("customer_id").isNotNull())
           .select("customer_id").distinct())
assert rfm.groupBy("customer_id").count().where("count > 1").count() == 0, "a customer in two RFM segments"
assert rfm.select("customer_id").exceptAll(counted).count() == 0, "an RFM segment without a counted order"
assert counted.exceptAll(rfm.select("customer_id")).count() == 0, "a counted customer without an RFM segment"
scores = rfm.select("recency_score", "frequency_score", "monetary_score").toPandas()
assert len(scores) > 0, "no RFM segments: the pipeline computed none"
assert scores.isin([1, 2, 3, 4, 5]).all().all(), "RFM scores are quintiles 1..5"
assert segments.where(F.col("entered_at") > F.col("as_of")).count() == 0, "entered a segment after computing it"

# %%
fig, ax = plt.subplots(figsize=(7, 4))
rfm_sizes = sizes[sizes.segment_type == "rfm"]
ax.barh(rfm_sizes.segment, rfm_sizes.customers)
ax.set_xlabel("customers")
ax.set_title("RFM segments now")
plt.tight_layout()
if PLOT_DIR:
    fig.savefig(os.path.join(PLOT_DIR, "customer_segments.png"), dpi=100)

# %% [markdown]
# ## Movement between computations
#
# Each version of the table is one computation; entered = inserted rows, left = deleted rows.
# A customer who moves from `new` to `loyal` leaves one and enters the other in the same version.

# %%
changes = spark.sql("SELECT * FROM table_changes('gold.customer_segments', 0)")
movement = (changes.where(F.col("_change_type").isin("insert", "delete"))
            .groupBy("_commit_version", "segment")
            .agg(F.sum((F.col("_change_type") == "insert").cast("int")).alias("entered"),
                 F.sum((F.col("_change_type") == "delete").cast("int")).alias("left"))
            .orderBy("_commit_version", "segment").toPandas())
movement

# %%
# Replaying the movement from the first version gives today's membership.
net = movement.groupby("segment")[["entered", "left"]].sum()
now = sizes.set_index("segment")["customers"]
for segment, row in net.iterrows():
    assert row.entered - row.left == now.get(segment, 0), f"{segment}: movement does not add up to today"
assert set(now.index) <= set(net.index), "a segment today that never had anyone enter it"
