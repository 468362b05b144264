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
# # Operations: volume, lag and freshness per job
#
# What the pipeline did, from `quality.pipeline_events`: one row per job and micro-batch, with
# when it ran, how long it took, how many rows it read and where they went. The silver jobs
# write their own rows with the batch, every other job's come from the batch's progress. For
# what is late *now*, run `bin/shoplake status`; Prometheus alerts as it happens. This notebook
# is for the questions after: how much came in, how late it was applied, which job fell behind.
#
# Connects through Spark Connect (`shoplake sql-server`); tables are queried by name only.

# %%
import os

import matplotlib.pyplot as plt
import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

CONNECT_URL = os.environ.get("SHOPLAKE_CONNECT_URL", "sc://localhost:15002")
spark = SparkSession.builder.remote(CONNECT_URL).getOrCreate()
# Where to save the plots as PNGs; unset: not saved.
PLOT_DIR = os.environ.get("SHOPLAKE_NOTEBOOK_PLOTS")

# %%
events = spark.table("quality.pipeline_events")
span = events.agg(F.min("started_at").alias("first"), F.max("started_at").alias("last")).toPandas().iloc[0]
assert pd.notna(span["first"]), "quality.pipeline_events is empty: no job has run"
# Hourly over a day or more of history; a short one (a test run, a fresh install) per minute.
BUCKET = "hour" if span["last"] - span["first"] > pd.Timedelta(hours=3) else "minute"
print(f"batches from {span['first']} to {span['last']} UTC, per {BUCKET}")

# %% [markdown]
# ## Per job

# %%
per_job = (events.groupBy("job")
           .agg(F.count("*").alias("batches"), F.sum("rows_in").alias("rows_in"),
                F.sum("quarantined").alias("quarantined"),
                F.percentile_approx("duration_ms", 0.5).alias("median_batch_ms"),
                F.max("duration_ms").alias("longest_batch_ms"), F.max("started_at").alias("last_batch"))
           .orderBy("job").toPandas())
assert (per_job["rows_in"] >= 0).all() and (per_job["median_batch_ms"] >= 0).all()
assert (per_job["quarantined"] <= per_job["rows_in"]).all(), "a job quarantined more rows than it read"
# Every row a batch read went exactly one way.
unbalanced = events.where("rows_in != applied + stale + duplicate + quarantined + kafka_tombstones")
assert unbalanced.count() == 0, unbalanced.limit(5).toPandas()
per_job

# %% [markdown]
# ## Volume: what reached the lakehouse
# `bronze.ingest` reads every source topic: what it landed and what it quarantined, per bucket.

# %%
bucket = F.date_trunc(BUCKET, "started_at").alias("bucket")
volume = (events.where(F.col("job") == "bronze.ingest").groupBy(bucket)
          .agg(F.sum("applied").alias("landed"), F.sum("quarantined").alias("quarantined"))
          .orderBy("bucket").toPandas().set_index("bucket"))
assert volume["landed"].sum() > 0, "ingest landed nothing"
ax = volume.plot.bar(stacked=True, title=f"Records ingested per {BUCKET}", rot=45, figsize=(8, 4))
ax.set_ylabel("records")
plt.tight_layout()
if PLOT_DIR:
    plt.savefig(os.path.join(PLOT_DIR, "operations_volume.png"), dpi=100)
volume

# %% [markdown]
# ## Lag: source commit to applied
# For the jobs that know when their newest change was committed at the source (the silver
# apply jobs): the 95th percentile per bucket of the delay until the batch applied it.

# %%
lag = (events.where(F.col("source_lag_ms").isNotNull()).groupBy(bucket, "job")
       .agg((F.percentile_approx("source_lag_ms", 0.95) / 1000).alias("p95_s"))
       .toPandas().pivot(index="bucket", columns="job", values="p95_s").sort_index())
assert not lag.empty, "no job reported its source lag"
ax = lag.plot(marker="o", title=f"Source commit to applied, p95 per {BUCKET}", figsize=(8, 4))
ax.set_ylabel("seconds")
plt.tight_layout()
if PLOT_DIR:
    plt.savefig(os.path.join(PLOT_DIR, "operations_lag.png"), dpi=100)
lag.round(1)

# %% [markdown]
# ## Freshness: who trails
# How long before the newest batch of any job each job last ran. Under a schedule, jobs that
# run less often trail by their interval; in a continuous run, a job that trails by minutes
# stopped or cannot keep up (`bin/shoplake status` says which).

# %%
freshness = per_job.set_index("job")["last_batch"]
behind = ((freshness.max() - freshness).dt.total_seconds() / 60).rename("minutes behind the newest batch")
assert (behind >= 0).all()
ax = behind.sort_values().plot.barh(title="Last batch, minutes before the newest", figsize=(8, 6))
ax.set_xlabel("minutes")
plt.tight_layout()
if PLOT_DIR:
    plt.savefig(os.path.join(PLOT_DIR, "operations_freshness.png"), dpi=100)
behind.sort_values(ascending=False).round(1).to_frame()
