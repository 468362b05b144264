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
# per channel. Until the silver clickstream (clean, deduplicated, sessionised) exists, this
# reads the raw click events from `bronze.clickstream` and parses them here, deduplicating by
# `event_id` (the log is delivered at least once). Bronze is restricted: clicks carry no
# personal data beyond a customer id, which this notebook does not use.

# %%
import os

import matplotlib.pyplot as plt
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

CONNECT_URL = os.environ.get("SHOPLAKE_CONNECT_URL", "sc://localhost:15002")
spark = SparkSession.builder.remote(CONNECT_URL).getOrCreate()
# Where to save the plot as a PNG (the README's picture comes from here); unset: not saved.
PLOT_DIR = os.environ.get("SHOPLAKE_NOTEBOOK_PLOTS")

# %%
CLICK = ("event_id string, session_id string, customer_id bigint, product_id bigint, event_type string,"
         " channel string, ts timestamp, attributes map<string,string>")
clicks = (spark.table("bronze.clickstream")
          .select(F.from_json(F.col("value"), CLICK).alias("c")).select("c.*")
          .where(F.col("event_id").isNotNull())
          .dropDuplicates(["event_id"]))
clicks.groupBy("event_type").count().orderBy(F.desc("count")).toPandas()

# %% [markdown]
# ## Sessions reaching each step

# %%
STEPS = ["view", "add_to_cart", "checkout", "purchase"]
# A session counts for a step when it reached it and every step before it.
reached = clicks.groupBy("session_id", "channel").agg(
    *[F.max((F.col("event_type") == step).cast("int")).alias(step) for step in STEPS])
for i in range(1, len(STEPS)):
    reached = reached.withColumn(STEPS[i], F.col(STEPS[i]) * F.col(STEPS[i - 1]))
funnel = (reached.groupBy("channel").agg(*[F.sum(s).alias(s) for s in STEPS])
          .orderBy("channel").toPandas().set_index("channel"))
funnel.loc["all"] = funnel.sum()
funnel

# %%
total = funnel.loc["all"]
assert total["view"] > 0, "no sessions with a product view"
assert total["purchase"] > 0, "no purchases: the funnel has nothing at its end"
for channel, row in funnel.iterrows():
    counts = [row[s] for s in STEPS]
    assert counts == sorted(counts, reverse=True), f"{channel}: a later step has more sessions than an earlier one"
conversion = funnel.div(funnel["view"], axis=0)
assert ((conversion >= 0) & (conversion <= 1)).all().all()
conversion.round(3)

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
