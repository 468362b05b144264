"""The deployable jar on a real Spark standalone cluster (a master and two workers, separate JVMs)
through the real spark-submit, against the session's devstack: the part of the seeded scenario that
follows T (shoplake_stack). Its tests are dist/tests/test_spark_cluster.py.

The cluster takes over the warehouse the scheduled DAG runs made, as a shop moving from Airflow's
available-now runs to a continuous deployment does: the continuous pipeline with the hot path while
the simulator runs, one worker SIGKILLed mid-run, SIGTERM; then an available-now pass in cluster
deploy mode, `check serving reconcile` over what the cluster left (local master), and `models
train` on the cluster. Its Redis keys and consumer groups are its own."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from shoplake_stack import LAUNCHER, deployable_jar, free_port, spark_submit, timed

SETTLE_TIMEOUT = 300
# Held out when training: the last simulator phase (8 s), after the worker was killed.
MODEL_ARGS = ["--conf", "shoplake.models.split.test-period=10s",
              "--conf", "shoplake.models.training.validation-period=5s",
              "--conf", "shoplake.models.training.time-budget=1s"]


@dataclass
class ClusterRun:
    env: dict[str, str]
    conf: list[str]
    tasks_per_worker: dict[str, int] = field(default_factory=dict)
    killed_worker: str = ""
    ingested_after_kill: bool = False
    batches_after_kill: dict[str, float] = field(default_factory=dict)
    stop_code: int | None = None
    log: str = ""
    cluster_mode_driver: str = ""
    checks: subprocess.CompletedProcess | None = None
    models: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)


def metrics(port: int) -> dict[str, float]:
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    except OSError:
        return {}
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in body.splitlines()
            if line.startswith("shoplake_")}


def series(values: dict[str, float], name: str, job: str) -> list[float]:
    return [v for k, v in values.items() if k.startswith(name + "{") and f'shoplake_job="{job}"' in k]


def await_(condition, what: str, timeout: float = SETTLE_TIMEOUT, every: float = 2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}")


class SparkCluster:
    """A Spark standalone master and two workers, each its own JVM, from the Spark distribution
    inside the pinned `pyspark` package (the one whose spark-submit the tests use): no download.
    Executors are started by the workers as child JVMs, as on any standalone cluster. Slots are
    threads: each worker offers 6, so that with one worker lost the hot path's three still leave
    three for every other query (docs/deploying.md: partitions + 3)."""

    def __init__(self, directory: Path, workers: int = 2, cores: int = 6, memory: str = "3g"):
        import importlib.util

        self.home = Path(importlib.util.find_spec("pyspark").submodule_search_locations[0])
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.port, self.ui_port = free_port(), free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.ui = f"http://127.0.0.1:{self.ui_port}"
        self.env = {**os.environ, "SPARK_HOME": str(self.home), "SPARK_LOG_DIR": str(directory),
                    "SPARK_NO_DAEMONIZE": "1"}
        self.master = self._start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                  "--port", str(self.port), "--webui-port", str(self.ui_port))
        self.workers: list[subprocess.Popen] = []
        self._await(lambda state: state is not None, "master")
        for n in range(1, workers + 1):
            work = directory / f"worker-{n}"
            work.mkdir(exist_ok=True)
            self.workers.append(self._start(f"worker-{n}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                                            "--cores", str(cores), "--memory", memory, "--webui-port", "0",
                                            "--work-dir", str(work), self.url))
        self._await(lambda state: state and len([w for w in state["workers"] if w["state"] == "ALIVE"]) == workers,
                    "workers")

    def _start(self, name: str, main: str, *args: str) -> subprocess.Popen:
        return subprocess.Popen([str(self.home / "bin" / "spark-class"), main, *args], env=self.env,
                                stdout=open(self.directory / f"{name}.log", "w"), stderr=subprocess.STDOUT)

    def _await(self, ready, what: str, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready(self.state()):
                return
            time.sleep(1)
        pytest.fail(f"Spark standalone {what} did not come up; see {self.directory}")

    def state(self) -> dict | None:
        """The master's view (`/json/`): workers, applications, drivers."""
        import urllib.request

        try:
            return json.loads(urllib.request.urlopen(f"{self.ui}/json/", timeout=5).read())
        except OSError:
            return None

    def executors_by_worker(self, app_id: str) -> dict[str, list[int]]:
        """Executor ids of one application on each alive worker, from the workers' own `/json/`."""
        import urllib.request

        found = {}
        for worker in self.state()["workers"]:
            if worker["state"] == "ALIVE":
                page = json.loads(urllib.request.urlopen(f"{worker['webuiaddress']}/json/", timeout=5).read())
                found[worker["id"]] = [e["id"] for e in page["executors"] + page["finishedexecutors"]
                                       if e["appid"] == app_id]
        return found

    def submit(self, *args: str, env: dict, timeout: int = 900, **options) -> subprocess.CompletedProcess:
        return subprocess.run(self.submit_command(*args, **options), capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, **env})

    def submit_command(self, *args: str, deploy_mode: str = "client", executor_cores: int = 6, cores: int = 12,
                       spark_conf: dict[str, str] | None = None) -> list[str]:
        confs = [arg for k, v in (spark_conf or {}).items() for arg in ("--conf", f"{k}={v}")]
        return [str(self.home / "bin" / "spark-submit"), "--master", self.url, "--deploy-mode", deploy_mode,
                "--class", LAUNCHER, "--driver-memory", "1g", "--executor-memory", "1g",
                "--executor-cores", str(executor_cores), "--total-executor-cores", str(cores), *confs,
                str(deployable_jar()), *args]

    def close(self):
        for process in [*self.workers, self.master]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.master]:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def run_on_cluster(devstack, cluster: "SparkCluster", run_dir: Path, warehouse_env: dict[str, str]) -> ClusterRun:
    """`warehouse_env`: the warehouse and the PII key of the scheduled runs; every endpoint comes from
    the environment, as `--env cluster` reads it."""
    run = ClusterRun(
        env={**devstack.environment(), **warehouse_env},
        # Sized to this small cluster, as a deployment sizes them to its own.
        conf=["--env", "cluster", "--conf", "shoplake.spark.shuffle-partitions=4",
              "--conf", 'shoplake.spark.conf."spark.databricks.delta.snapshotPartitions"=2',
              "--conf", "shoplake.redis.key-prefix=cluster", "--conf", "shoplake.kafka.consumer-group-prefix=cluster."])
    metrics_port, ui_port = free_port(), free_port()
    log = run_dir / "cluster-continuous.log"
    with timed("cluster: continuous run, simulator, a worker killed"):
        process = subprocess.Popen(
            cluster.submit_command("run", "pipeline", "--continuous", *run.conf,
                                   "--conf", f"shoplake.metrics.port={metrics_port}",
                                   spark_conf={"spark.ui.port": str(ui_port)}),
            env={**os.environ, **run.env}, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
        try:
            app = await_(lambda: next(iter(a["id"] for a in (cluster.state() or {}).get("activeapps", [])), None),
                         "the application to register with the master")
            devstack.simulate("--duration", "10s", "--rate", "40", "--seed", "2026120601")

            def placement() -> dict[str, int] | None:
                try:
                    by_id = {e["id"]: e["totalTasks"] for e in json.loads(urllib.request.urlopen(
                        f"http://127.0.0.1:{ui_port}/api/v1/applications/{app}/executors", timeout=5).read())}
                    tasks = {worker: sum(by_id.get(str(e), 0) for e in executors)
                             for worker, executors in cluster.executors_by_worker(app).items()}
                except OSError:  # a driver or worker too busy to answer in time: ask again
                    return None
                return tasks if len(tasks) == 2 and all(tasks.values()) else None

            run.tasks_per_worker = await_(placement, "tasks on both workers' executors")
            # SIGKILL one worker JVM mid-run: its executor goes with it; Spark reschedules.
            victim = cluster.workers[0]
            run.killed_worker = next(w for w, _ in sorted(run.tasks_per_worker.items()))
            victim.kill()
            before = metrics(metrics_port)
            devstack.simulate("--duration", "8s", "--rate", "40", "--seed", "2026120602")

            def caught_up() -> bool:
                now = metrics(metrics_port)
                lag = series(now, "shoplake_kafka_lag_records", "bronze.ingest")
                return bool(lag) and sum(lag) == 0 and now

            caught = await_(caught_up, "bronze.ingest to catch up after the worker was lost")
            run.ingested_after_kill = sum(series(caught, "shoplake_job_input_rows_total", "bronze.ingest")) > sum(
                series(before, "shoplake_job_input_rows_total", "bronze.ingest"))
            settled_from = {job: sum(series(caught, "shoplake_job_batches_total", job))
                            for job in ("gold.inventory_availability", "serving.availability")}
            # Two more batches of each hop after ingest caught up: gold and Redis hold the last change.
            await_(lambda: all(sum(series(metrics(metrics_port), "shoplake_job_batches_total", job)) >= n + 2
                               for job, n in settled_from.items()), "gold and serving to take what ingest landed")
            run.batches_after_kill = {job: sum(series(metrics(metrics_port), "shoplake_job_batches_total", job))
                                      - sum(series(before, "shoplake_job_batches_total", job))
                                      for job in ("bronze.ingest", "gold.inventory_availability", "serving.availability")}
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                # The stop gives batches still writing shoplake.supervision.stop-grace (90 s) to end.
                run.stop_code = process.wait(240)
            except subprocess.TimeoutExpired:
                process.kill()
        run.log = log.read_text()

    with timed("cluster: available-now pass, cluster deploy mode"):
        # The jobs the continuous run had not reached yet catch up; the driver runs on the remaining worker.
        submitted = cluster.submit("run", "pipeline", *run.conf, env=run.env, deploy_mode="cluster",
                                   executor_cores=3, cores=3)
        assert submitted.returncode == 0, submitted.stderr[-3000:]
        driver = re.search(r"(driver-\d+-\d+)", submitted.stderr).group(1)
        run.cluster_mode_driver = await_(lambda: next((d["state"] for d in cluster.state()["completeddrivers"]
                                                       if d["id"] == driver), None),
                                         "the cluster-mode driver to finish", timeout=900, every=5)
    with timed("cluster: check serving reconcile (local master)"):
        # After everything the cluster ran; a check is a client of the tables, not a job of the cluster.
        run.checks = spark_submit("check", "serving", "reconcile", *run.conf, env=run.env)
    # ALS on the executors, on the split MODEL_ARGS names.
    with timed("cluster: models train"):
        run.models["train"] = cluster.submit(
            "models", "train", *run.conf, *MODEL_ARGS, env=run.env)
    return run
