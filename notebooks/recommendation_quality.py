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
# # Recommendation quality over model versions
#
# Every model `shoplake models train` produced, from `gold.model_registry`: its metrics on the
# held-out period beside the most-popular baseline on the same split, its parameters and
# training time, and what the promotion gate decided. The question the ML team asks after each
# retraining: is the new model better than the one serving, and better than popularity?

# %%
import os

import matplotlib.pyplot as plt
import pandas as pd
from pyspark.sql import SparkSession

CONNECT_URL = os.environ.get("SHOPLAKE_CONNECT_URL", "sc://localhost:15002")
spark = SparkSession.builder.remote(CONNECT_URL).getOrCreate()
# Where to save the plot as a PNG; unset: not saved.
PLOT_DIR = os.environ.get("SHOPLAKE_NOTEBOOK_PLOTS")

# %%
registry = spark.table("gold.model_registry").orderBy("model_version")
versions = registry.select("model_version", "status", "status_reason", "params", "data_window_start",
                           "data_window_end", "split", "test_users", "training_ms", "metrics",
                           "baseline_metrics").toPandas()
assert len(versions) > 0, "no trained model in the registry"
versions[["model_version", "status", "status_reason", "split", "test_users", "training_ms"]]

# %%
metric_names = sorted(versions.metrics.iloc[0].keys())
k = metric_names[0].split("@")[1]
rows = []
for _, v in versions.iterrows():
    for name in metric_names:
        rows.append({"version": v.model_version, "metric": name, "model": v.metrics[name],
                     "popularity": v.baseline_metrics[name]})
quality = pd.DataFrame(rows).pivot(index="version", columns="metric", values=["model", "popularity"])
quality.round(4)

# %%
# What the registry promises: metrics are fractions; one champion at most; a refused model says
# why; the baseline depends only on the split, so models trained on the same data window and
# split share it exactly — a model is never compared with an easier baseline than another.
for _, v in versions.iterrows():
    for name in metric_names:
        assert 0.0 <= v.metrics[name] <= 1.0 and 0.0 <= v.baseline_metrics[name] <= 1.0, (v.model_version, name)
assert (versions.status == "champion").sum() <= 1, "two champions"
assert versions[versions.status == "refused"].status_reason.notna().all(), "a refusal without its reason"
same_data = versions.groupby(["data_window_start", "data_window_end", "split"])
for _, group in same_data:
    baselines = [tuple(sorted(b.items())) for b in group.baseline_metrics]
    assert len(set(baselines)) == 1, "the same split gave two different baselines"

# %%
ndcg = f"ndcg@{k}"
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(versions.model_version, [m[ndcg] for m in versions.metrics], marker="o", label="implicit ALS")
ax.plot(versions.model_version, [m[ndcg] for m in versions.baseline_metrics], marker="s", linestyle="--",
        label="most popular (same split)")
for _, v in versions.iterrows():
    ax.annotate(v.status, (v.model_version, v.metrics[ndcg]), textcoords="offset points", xytext=(0, 6),
                ha="center", fontsize=8)
ax.set_xlabel("model version")
ax.set_ylabel(ndcg)
ax.set_xticks(list(versions.model_version))
ax.set_title("Recommendation quality per model version")
ax.legend()
plt.tight_layout()
if PLOT_DIR:
    fig.savefig(os.path.join(PLOT_DIR, "recommendation_quality.png"), dpi=100)
