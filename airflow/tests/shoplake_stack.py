"""pytest plugin (`-p shoplake_stack`): what the DAG and notebook tests share.

One real devstack (Kafka, PostgreSQL + Debezium, Redis, S3) and one seeded warehouse, made
once per session by real Airflow DAG runs (`dag.test()`, SparkSubmitOperator, the shaded
jar) and then served by `shoplake sql-server` to the notebooks. Everything runs on this
machine's loopback and stops at the end of the session.

The seeded scenario, in order:
  1. the simulator runs (seeded), then stops: PostgreSQL holds the shop's stock at that moment;
  2. shoplake_ingest runs for real, then shoplake_gold_availability (asset-triggered in
     production, started here);
  3. PostgreSQL's inventory and a time T are recorded: silver.inventory as of T must equal them;
  4. the simulator runs again, and a Spark standalone cluster takes the warehouse over
     (cluster_scenario: the continuous pipeline, a worker killed, an available-now pass in
     cluster deploy mode, `models train`): every table moves past T, so "as of T" differs from
     "now";
  5. `models train` once more on a local master, on the same split, and `models promote`;
  6. the shop's most active customer is erased (privacy_scenario): `privacy forget`.
"""

from __future__ import annotations

import glob
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "airflow" / "dags"
LAUNCHER = "io.shoplake.cli.ShoplakeCli"
SEED = "20261125"
# Kept to what the assertions need: a few dozen orders with reservations, restocks and clicks.
PHASE_1 = ["--duration", "12s", "--rate", "60", "--seed", SEED]
PHASE_2 = ["--duration", "8s", "--rate", "60", "--seed", SEED + "2"]
# Time Debezium needs to publish the simulator's last commits (p95 < 0.5 s measured).
CDC_SETTLE_SECONDS = 5


def pytest_configure(config):
    # Airflow reads its settings when first imported: point it at a private home, before any test module imports it.
    home = Path(tempfile.mkdtemp(prefix="shoplake-airflow-"))
    os.environ.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
    })
    config.shoplake_airflow_home = home
    # Airflow's DAG processor puts the DAG folder on sys.path (the helpers in shoplake_dags/); so do the tests.
    if str(DAGS) not in sys.path:
        sys.path.append(str(DAGS))


def pytest_unconfigure(config):
    home = getattr(config, "shoplake_airflow_home", None)
    if home:
        shutil.rmtree(home, ignore_errors=True)


TIMINGS: dict[str, tuple[float, float]] = {}


def children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


class timed:
    """Records how long a step of the shared setup took, and the CPU its child processes used
    (the JVMs it waited for): printed at the end of the session, as the suite's budget is CPU."""

    def __init__(self, step: str):
        self.step = step

    def __enter__(self):
        self.start = time.monotonic()
        self.cpu = children_cpu()

    def __exit__(self, *exc):
        TIMINGS[self.step] = (time.monotonic() - self.start, children_cpu() - self.cpu)


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.section("shoplake: time per setup step (wall, CPU of the JVMs it waited for)")
        for step, (seconds, cpu) in TIMINGS.items():
            terminalreporter.write_line(f"{seconds:7.1f} s  {cpu:7.1f} CPU-s  {step}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deployable_jar() -> Path:
    jars = sorted(glob.glob(str(ROOT / "dist" / "target" / "shoplake-[0-9]*.jar")))
    if not jars:
        pytest.fail("no shaded jar: run `mvn -B -q install -DskipTests` first (bin/test builds it)")
    return Path(jars[-1])


def spark_submit(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """The shaded jar under spark-submit, as Airflow launches it (local master)."""
    return subprocess.run(
        ["spark-submit", "--master", "local[2]", "--class", LAUNCHER, str(deployable_jar()), *args],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="session")
def jar_listings() -> tuple[subprocess.CompletedProcess, ...]:
    """`shoplake jobs`, `shoplake jobs --commands` and `shoplake jobs --json` from the real jar,
    side by side: each is a JVM start that mostly waits on one core."""
    with timed("spark-submit jobs listings x3"), ThreadPoolExecutor(3) as pool:
        listings = [pool.submit(spark_submit, *args) for args in (
            ("jobs", "--env", "cluster"), ("jobs", "--commands"), ("jobs", "--json", "--env", "cluster"))]
        return tuple(listing.result() for listing in listings)


@pytest.fixture(scope="session")
def shoplake_jobs(jar_listings) -> set[str]:
    """What `shoplake jobs` prints from the real jar: the jobs `run` accepts."""
    result = jar_listings[0]
    assert result.returncode == 0, result.stderr[-3000:]
    return set(result.stdout.split())


@pytest.fixture(scope="session")
def shoplake_commands(jar_listings) -> set[str]:
    """What `shoplake jobs --commands` prints from the real jar: e.g. `check reconcile`."""
    result = jar_listings[1]
    assert result.returncode == 0, result.stderr[-3000:]
    return set(result.stdout.splitlines())


@pytest.fixture(scope="session")
def airflow_db():
    """A migrated metadata database (SQLite) in the session's AIRFLOW_HOME."""
    with timed("airflow db migrate"):
        result = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


class Devstack:
    """`DevstackMain up` as a child process that stops when its stdin closes."""

    def __init__(self, state_dir: Path):
        self.state_dir = state_dir
        devstack = ROOT / "devstack" / "target"
        self.classpath = f"{devstack / 'classes'}:{(devstack / 'classpath.txt').read_text().strip()}"
        self.log = state_dir.parent / "devstack.log"
        self.process = subprocess.Popen(
            ["java", "-Xmx1g", "-cp", self.classpath, "io.shoplake.devstack.DevstackMain", "up",
             "--state-dir", str(state_dir), "--exit-on-stdin-eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.ready = threading.Event()
        self.started = time.monotonic()
        threading.Thread(target=self._pump, daemon=True).start()
        self.endpoints = None

    def wait_ready(self) -> "Devstack":
        """Starting takes a while: callers do other work first, then wait here."""
        if self.endpoints is None:
            if not self.ready.wait(240) or self.process.poll() is not None:
                self.close()
                pytest.fail(f"devstack did not start; see {self.log}")
            self.endpoints = (self.state_dir / "devstack.conf").read_text()
            TIMINGS["devstack up (overlaps the Airflow DB migration)"] = (time.monotonic() - self.started, 0.0)
        return self

    def _pump(self):
        with open(self.log, "w") as out:
            for line in self.process.stdout:
                out.write(line)
                out.flush()
                if line.startswith("DEVSTACK READY"):
                    self.ready.set()

    def simulate(self, *args: str) -> str:
        self.wait_ready()
        result = subprocess.run(
            ["java", "-Xmx512m", "-cp", self.classpath, "io.shoplake.devstack.DevstackMain", "simulate",
             "--state-dir", str(self.state_dir), *args], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    def psql(self, sql: str) -> list[list[str]]:
        """Rows of a query on the shop database, through psql (tab-separated)."""
        self.wait_ready()
        m = re.search(r'jdbc:postgresql://([^:/]+):(\d+)/(\w+)", user = "([^"]+)", password = "([^"]+)"', self.endpoints)
        assert m, "postgres endpoint not found in devstack.conf"
        host, port, db, user, password = m.groups()
        psql = shutil.which("psql") or glob.glob("/usr/lib/postgresql/*/bin/psql")[0]
        result = subprocess.run([psql, "-h", host, "-p", port, "-U", user, "-d", db, "-AtF", "\t", "-c", sql],
                                capture_output=True, text=True, env={**os.environ, "PGPASSWORD": password}, timeout=60)
        assert result.returncode == 0, result.stderr
        return [line.split("\t") for line in result.stdout.splitlines() if line]

    def environment(self) -> dict[str, str]:
        """The devstack's endpoints as the environment variables a deployment sets (`--env cluster`
        reads no devstack file)."""
        self.wait_ready()
        kafka = re.search(r'bootstrap-servers = "([^"]+)"', self.endpoints).group(1)
        pg = re.search(r'jdbc-url = "([^"]+)", user = "([^"]+)", password = "([^"]+)"', self.endpoints)
        redis = re.search(r'redis \{ host = "([^"]+)", port = (\d+)', self.endpoints)
        return {"SHOPLAKE_KAFKA_BOOTSTRAP_SERVERS": kafka, "SHOPLAKE_POSTGRES_URL": pg.group(1),
                "SHOPLAKE_POSTGRES_USER": pg.group(2), "SHOPLAKE_POSTGRES_PASSWORD": pg.group(3),
                "SHOPLAKE_REDIS_HOST": redis.group(1), "SHOPLAKE_REDIS_PORT": redis.group(2)}

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
        # Whatever a crashed `up` left behind (its own processes, the replication slot).
        subprocess.run(["java", "-cp", self.classpath, "io.shoplake.devstack.DevstackMain", "down",
                        "--state-dir", str(self.state_dir)], capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def run_dir():
    path = Path(tempfile.mkdtemp(prefix="shoplake-pytest-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def devstack(run_dir):
    stack = Devstack(run_dir / "devstack")
    yield stack
    stack.close()


def inventory_in_postgres(devstack: Devstack) -> dict[str, tuple[int, int]]:
    rows = devstack.psql("SELECT product_id, location_id, on_hand, reserved FROM inventory")
    return {f"{p}/{loc}": (int(on_hand), int(reserved)) for p, loc, on_hand, reserved in rows}


@dataclass
class PlantedCustomer:
    """A customer whose personal data the analysts' endpoint must never show in clear: inserted in
    the shop with distinctive values, then given a column the shop added later (personal until
    declared otherwise), then a change that waits in quarantine with the whole record."""

    customer_id: int
    email: str
    phone: str
    full_name: str
    note: str

    def in_clear(self) -> list[str]:
        return [self.email, self.phone, self.full_name, self.note]

    def pseudonym(self, value: str, key: str) -> str:
        """What silver holds for a personal value (io.shoplake.cdc.Pseudonymizer)."""
        return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def plant_a_customer(devstack: Devstack) -> PlantedCustomer:
    tag = os.urandom(5).hex()
    # The next id, as a sign-up takes: the simulator goes on from the highest.
    next_id = int(devstack.psql("SELECT max(customer_id) + 1 FROM customers")[0][0])
    planted = PlantedCustomer(customer_id=next_id, email=f"planted.{tag}@privacy-test.example",
                              phone=f"+44 7700 9{int(tag, 16) % 100000:05d}", full_name=f"Zebedee Plant{tag}",
                              note=f"prefers-door-{tag}")
    for step in (
        f"INSERT INTO customers (customer_id, email, phone, full_name) VALUES ({planted.customer_id},"
        f" '{planted.email}', '{planted.phone}', '{planted.full_name}')",
        "ALTER TABLE customers ADD COLUMN loyalty_note text",
        f"UPDATE customers SET loyalty_note = '{planted.note}', updated_at = now() WHERE customer_id = {planted.customer_id}",
        # A column Delta cannot name: the change giving it a value is quarantined, its record (with
        # the e-mail) kept raw for engineers. Dropped again, the next change is applied.
        'ALTER TABLE customers ADD COLUMN "favourite colour" text',
        f"UPDATE customers SET \"favourite colour\" = 'teal', updated_at = now() WHERE customer_id = {planted.customer_id}",
        'ALTER TABLE customers DROP COLUMN "favourite colour"',
        f"UPDATE customers SET updated_at = now() WHERE customer_id = {planted.customer_id}",
    ):
        devstack.psql(step)
    return planted


@dataclass
class Seeded:
    """What the seeded run produced and recorded, for the tests to assert on."""

    warehouse: Path
    env: dict[str, str]
    dag_runs: dict[str, object] = field(default_factory=dict)
    asset_events: list[str] = field(default_factory=list)
    as_of: str = ""
    stock_as_of: dict[str, tuple[int, int]] = field(default_factory=dict)
    expected_file: Path | None = None
    cluster: object = None  # cluster_scenario.ClusterRun
    planted: PlantedCustomer | None = None
    forgotten: object = None  # privacy_scenario.Forgotten


# In the one real run, these tasks run the same operator for jobs the notebooks do not read
# as of T; each spark-submit costs 25-50 s on two cores, so they are marked successful instead
# of run. The SCD2 histories (written by their tables' jobs) are keyed by source commit time, so
# the cluster's runs after T write the same timeline they would have. The structure tests check
# their job names against the jar like every other task's.
NOT_RUN_FOR_REAL = (r"^(silver\.(customers|products|orders|order_items|order_events|order_lifecycle"
                    r"|clickstream)"
                    r"|serving\.availability|gold\.inventory_snapshots|ops\.anomalies)$")


@pytest.fixture(scope="session")
def seeded(devstack, run_dir, airflow_db) -> Seeded:
    from cluster_scenario import MODEL_ARGS, SparkCluster, run_on_cluster
    from privacy_scenario import forget_most_active_customer

    warehouse = run_dir / "warehouse"
    env = {
        # Endpoints and secrets reach spark-submit through the worker's environment, as in production.
        "SHOPLAKE_WAREHOUSE": warehouse.as_uri(),
        "SHOPLAKE_DEVSTACK_DIR": str(devstack.state_dir),
        "SHOPLAKE_PII_KEY": "pytest-" + os.urandom(8).hex(),
        "AIRFLOW_VAR_SHOPLAKE_ENV": "local",
        "AIRFLOW_CONN_SPARK_DEFAULT": json.dumps(
            {"conn_type": "spark", "host": "local[2]", "extra": {"deploy-mode": "client"}}),
    }
    os.environ.update(env)
    seeded = Seeded(warehouse=warehouse, env=env)
    # The cluster's JVMs start while the DAGs run; they idle until T.
    starting = ThreadPoolExecutor(1)
    cluster_future = starting.submit(SparkCluster, run_dir / "spark-cluster")
    starting.shutdown(wait=False)
    try:
        with timed("simulator, first phase"):
            devstack.simulate(*PHASE_1)
        time.sleep(CDC_SETTLE_SECONDS)

        from airflow.dag_processing.dagbag import BundleDagBag

        bag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS, bundle_name="dags-folder")
        for dag_id in ("shoplake_ingest", "shoplake_gold_availability"):
            with timed(f"dag.test() {dag_id}"):
                seeded.dag_runs[dag_id] = bag.dags[dag_id].test(mark_success_pattern=NOT_RUN_FOR_REAL)
        seeded.asset_events = asset_events()

        # Nothing changes the shop now: PostgreSQL's stock is the truth at T, and silver must hold it.
        time.sleep(1.5)
        seeded.as_of = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        seeded.stock_as_of = inventory_in_postgres(devstack)
        time.sleep(1.5)
        seeded.expected_file = run_dir / "asof-expected.json"
        seeded.expected_file.write_text(json.dumps({
            "as_of": seeded.as_of,
            "stock": [{"product_id": int(k.split("/")[0]), "location_id": k.split("/")[1], "on_hand": v[0],
                       "reserved": v[1]} for k, v in sorted(seeded.stock_as_of.items())],
        }))

        seeded.planted = plant_a_customer(devstack)
        with timed("simulator, second phase"):
            devstack.simulate(*PHASE_2)
        time.sleep(CDC_SETTLE_SECONDS)
        with timed("cluster: master and two workers up (beside the DAG runs)"):
            cluster = cluster_future.result()
        seeded.cluster = run_on_cluster(devstack, cluster, run_dir, {
            "SHOPLAKE_WAREHOUSE": env["SHOPLAKE_WAREHOUSE"], "SHOPLAKE_PII_KEY": env["SHOPLAKE_PII_KEY"]})
    finally:
        # Also when a step before failed while the cluster was still starting: it stops once up.
        cluster_future.add_done_callback(lambda started: started.exception() or started.result().close())
    with timed("spark-submit models train, promote (local master)"):
        # The same split as the cluster's training: the registry then holds two versions on one split,
        # whose baselines must agree wherever they ran.
        models = ["--env", "local", *MODEL_ARGS]
        result = spark_submit("models", "train", *models)
        assert result.returncode == 0, "models train failed:\n" + result.stderr[-5000:]
        # 0: promoted; 3: the gate refused. Either is a registry state the notebook must show.
        result = spark_submit("models", "promote", *models)
        assert result.returncode in (0, 3), "models promote failed:\n" + result.stderr[-5000:]
    # Last, after the models trained on the customer; the cluster's Redis prefix holds their segments.
    seeded.forgotten = forget_most_active_customer(
        devstack, warehouse, ["--env", "local", *seeded.cluster.conf[2:]], seeded.planted.customer_id)
    return seeded


def asset_events() -> list[str]:
    """Names of the assets that task runs reported as updated, from Airflow's metadata DB."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        return [name for (name,) in session.query(AssetModel.name).join(AssetEvent, AssetEvent.asset_id == AssetModel.id)]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for localhost and its PKCS#8 key, made now (nothing of it is committed)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class SqlServer:
    """`shoplake sql-server` from the build output (what bin/shoplake runs), on a free port, as
    deployed: clients present a bearer token over TLS. It also holds storage keys (static s3a keys)
    that no client may read back."""

    def __init__(self, env: dict[str, str], log: Path, tls_dir: Path):
        # The launcher's classpath, as bin/lib/common.sh builds it: the tools module sees every command.
        target = ROOT / "tools" / "target"
        classpath = ":".join([str(target / "classes"), (target / "classpath.txt").read_text().strip(),
                              (target / "classpath-provided.txt").read_text().strip()])
        self.port = free_port()
        self.metrics_port = free_port()
        self.log = log
        self.token = "tok-" + os.urandom(12).hex()
        self.certificate, key = self_signed_certificate(tls_dir)
        self.secrets = {"AWS_ACCESS_KEY_ID": "AKIA" + os.urandom(8).hex().upper(),
                        "AWS_SECRET_ACCESS_KEY": "s3secret-" + os.urandom(12).hex()}
        self.process = subprocess.Popen(
            ["java", "-Xmx2g", *(ROOT / "pipelines" / "target" / "launcher" / "jvm-flags").read_text().split(),
             f"-Dshoplake.home={ROOT}", f"-Dshoplake.conf.dir={ROOT / 'conf'}", "-cp", classpath,
             LAUNCHER, "sql-server", "--env", "local", "--port", str(self.port),
             "--metrics-port", str(self.metrics_port)],
            stdout=subprocess.PIPE, stderr=open(log, "w"), text=True,
            env={**os.environ, **env, **self.secrets, "SHOPLAKE_SQL_SERVER_TOKEN": self.token,
                 "SHOPLAKE_SQL_SERVER_TLS_CERTIFICATE": str(self.certificate),
                 "SHOPLAKE_SQL_SERVER_TLS_PRIVATE_KEY": str(key)})
        self.url = None
        self.registered = ""
        self.restricted = ""
        self.ready_line = ""
        deadline = time.monotonic() + 180
        for line in self.process.stdout:
            if line.startswith("registered "):
                self.registered = line
            if line.startswith("restricted, "):
                self.restricted = line
            if line.startswith("SQL SERVER READY"):
                self.ready_line = line
                self.url = line.split()[3]
                break
            if time.monotonic() > deadline:
                break
        if not self.url:
            self.close()
            pytest.fail(f"sql-server did not start; see {log}")
        # What a client of this server sets: PySpark takes the token from the first, gRPC the
        # private CA from the second (the notebooks' kernels inherit both).
        os.environ["SPARK_CONNECT_AUTHENTICATE_TOKEN"] = self.token
        os.environ["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = str(self.certificate)

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()  # the server's shutdown hook stops Spark Connect
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def sql_server(seeded, run_dir):
    with timed("sql-server start"):
        server = SqlServer(seeded.env, run_dir / "sql-server.log", run_dir / "sql-server-tls")
    yield server
    server.close()


@pytest.fixture(scope="session")
def connect(sql_server):
    """A Spark Connect session on the sql-server, as an analyst opens one."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(sql_server.url).getOrCreate()
    yield spark
    spark.stop()
