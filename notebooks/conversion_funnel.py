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
# # Conversion funnel
#
# How many browsing sessions get from a product view to the cart, to checkout, to a purchase,
# per channel, from `gold.funnel_hourly` (sessions by the hour they started). Bronze is not
# read: it holds the raw records, which analysts do not need. A session reaches a stage with an
# event of that stage or of a later one (a cart from a listing page passed the view stage), so no
# stage has more sessions than the one before; the last cells recompute that rule from
# `silver.clickstream_sessions` and check that gold agrees.

# %%
import os

import matplotlib.pyplot as plt
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

CONNECT_URL = os.environ.get("SHOPLAKE_CONNECT_URL", "sc://localhost:15002")
spark = SparkSession.builder.remote(CONNECT_URL).getOrCreate()
# Where to save the plot as a PNG (the README's picture comes from here); unset: not saved.
PLOT_DIR = os.environ.get("SHOPLAKE_NOTEBOOK_PLOTS")

# %% [markdown]
# ## Sessions reaching each step

# %%
STEPS = ["viewed", "carted", "checked_out", "purchased"]
funnel = (spark.table("gold.funnel_hourly").groupBy("channel")
          .agg(F.sum("sessions").alias("sessions"), *[F.sum(s).alias(s) for s in STEPS])
          .orderBy("channel").toPandas().set_index("channel"))
funnel.loc["all"] = funnel.sum()
funnel

# %%
total = funnel.loc["all"]
assert total["viewed"] > 0, "no sessions with a product view"
assert total["purchased"] > 0, "no purchases: the funnel has nothing at its end"
for channel, row in funnel.iterrows():
    counts = [row[s] for s in ["sessions"] + STEPS]
    assert counts == sorted(counts, reverse=True), f"{channel}: a later step has more sessions than an earlier one"
conversion = funnel[STEPS].div(funnel["viewed"], axis=0)
assert ((conversion >= 0) & (conversion <= 1)).all().all()
conversion.round(3)

# %% [markdown]
# ## The same rule from the sessions
#
# Each session's furthest stage, from its event counts in `silver.clickstream_sessions`: gold's
# counts per channel must be these.

# %%
sessions = spark.table("silver.clickstream_sessions")
furthest = (F.when(F.col("purchases") > 0, 4).when(F.col("checkouts") > 0, 3)
            .when(F.col("carts") > 0, 2).when(F.col("views") > 0, 1).otherwise(0))
from_sessions = (sessions.withColumn("stage", furthest).groupBy("channel")
                 .agg(F.count(F.lit(1)).alias("sessions"),
                      *[F.sum((F.col("stage") >= i + 1).cast("long")).alias(s) for i, s in enumerate(STEPS)])
                 .orderBy("channel").toPandas().set_index("channel"))
assert funnel.drop(index="all").astype("int64").to_dict() == from_sessions.astype("int64").to_dict(), (
    f"gold.funnel_hourly\n{funnel}\ndiffers from silver.clickstream_sessions\n{from_sessions}")
from_sessions

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for channel in funnel.index.drop("all"):
    ax.plot(STEPS, [funnel.loc[channel, s] for s in STEPS], marker="o", label=channel)
ax.bar(STEPS, [total[s] for s in STEPS], alpha=0.25, color="grey", label="all channels")
ax.set_ylabel("sessions")
ax.set_title("Conversion funnel: sessions reaching each step")
ax.legend()
plt.tight_layout()
if PLOT_DIR:
    fig.savefig(os.path.join(PLOT_DIR, "conversion_funnel.png"), dpi=100)
