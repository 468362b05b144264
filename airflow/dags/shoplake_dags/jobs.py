"""The one list of everything Airflow launches, and which tables each reads and writes.

A task is generated from an entry here and nowhere else. Jobs (`run <job>`) and what they read
and write come from the jar's exported job graph; other commands (training, maintenance,
checks) are listed below and must exist in the CLI. The DAG tests check both against the real jar.

Entries with `pending` set name work that other issues are building. They stay out of every
DAG until they exist; the tests fail as soon as one exists (so it gets switched on) and if a
live entry stops existing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path


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


# The jar's job graph (`shoplake jobs --json --env cluster`): what each job reads and writes is
# declared once, in the job, and exported here. The DAG tests fail when this differs from the jar's.
GRAPH: dict[str, dict] = {node["name"]: node for node in json.loads(
    (Path(__file__).parent / "job_graph.json").read_text())["jobs"]}
# Jobs of the graph that are long-running processes, not scheduled tasks.
NOT_SCHEDULED = {"serving.availability_hot"}  # the real-time hot path: one task slot per partition, always on


def _scheduled_run(node: dict) -> Job:
    return Job(node["name"], ("run", node["name"]), reads=tuple(node["reads"]), writes=tuple(node["writes"]))


JOBS: tuple[Job, ...] = (
    *(_scheduled_run(node) for name, node in GRAPH.items() if name not in NOT_SCHEDULED),
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


def jobs_in_layer(layer: str) -> list[str]:
    """Scheduled jobs of a layer (`silver`), in the graph's flow order."""
    return [name for name in GRAPH if name.startswith(layer + ".") and name not in NOT_SCHEDULED]


def upstream(task_id: str) -> list[str]:
    """The jobs writing what this one reads (and the one publishing its topics before it), from
    the graph; none for other commands."""
    return GRAPH[task_id]["upstream"] if task_id in GRAPH else []


def live(*task_ids: str) -> bool:
    """True when every named job exists: a DAG made of pending jobs is not defined yet."""
    return all(BY_ID[t].pending is None for t in task_ids)
