"""Every analyst notebook executes, cell by cell, against `shoplake sql-server` serving the
warehouse of the seeded run; a failing cell (a broken query, a failed assertion) fails here.
Also: the endpoint serves every table by name and refuses writes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1]
KERNEL = "shoplake-notebooks"


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="session")
def kernel(run_dir) -> dict[str, str]:
    """A Jupyter kernel in the notebooks' own environment (thin client only, no local Spark)."""
    python = os.environ.get("SHOPLAKE_NOTEBOOK_PYTHON")
    assert python, "SHOPLAKE_NOTEBOOK_PYTHON: the notebooks environment's python (bin/test-python sets it)"
    prefix = run_dir / "jupyter"
    subprocess.run([python, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", KERNEL],
                   check=True, capture_output=True)
    # Jupyter looks for kernels here first.
    os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    probe = subprocess.run([python, "-c", "import importlib.metadata as m; print(sorted(d.metadata['Name'] for d in"
                            " m.distributions() if d.metadata['Name'].startswith('pyspark')))"],
                           capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "['pyspark-client']", "the notebooks run on the thin client, no local Spark"
    return {"name": KERNEL}


def test_there_are_notebooks():
    assert [p.name for p in notebooks()] == ["conversion_funnel.ipynb", "customer_segments.ipynb",
                                           "operations.ipynb", "recommendation_quality.ipynb",
                                           "stock_as_of.ipynb"]


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_notebook_is_paired_and_stripped(path: Path):
    notebook = nbformat.read(path, as_version=4)
    paired = jupytext.read(path.with_suffix(".py"))
    # Reviews read the .py: it must say exactly what the notebook runs.
    assert [(c.cell_type, c.source) for c in notebook.cells] == [(c.cell_type, c.source) for c in paired.cells]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "outputs are stripped in git"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_notebook_executes_against_the_sql_server(path: Path, kernel, sql_server, seeded, run_dir):
    plots = run_dir / "plots"
    plots.mkdir(exist_ok=True)
    os.environ.update({
        "SHOPLAKE_CONNECT_URL": sql_server.url,
        "SHOPLAKE_ASOF_EXPECTED": str(seeded.expected_file),
        "SHOPLAKE_NOTEBOOK_PLOTS": str(plots),
    })
    notebook = nbformat.read(path, as_version=4)
    # Raises CellExecutionError, naming the cell and its error, when a cell fails.
    NotebookClient(notebook, kernel_name=kernel["name"], timeout=300, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the notebook shows a plot"
    if os.environ.get("SHOPLAKE_KEEP_NOTEBOOK_OUTPUTS"):
        nbformat.write(notebook, Path(os.environ["SHOPLAKE_KEEP_NOTEBOOK_OUTPUTS"]) / path.name)


def test_a_broken_query_fails_the_execution(kernel, sql_server):
    # What the executions above rely on: an error in any cell stops the run and fails the test.
    from nbclient.exceptions import CellExecutionError

    notebook = jupytext.reads(
        "# %%\nfrom pyspark.sql import SparkSession\n"
        f"spark = SparkSession.builder.remote('{sql_server.url}').getOrCreate()\n"
        "# %%\nspark.sql('SELECT no_such_column FROM gold.inventory_availability').toPandas()\n", fmt="py:percent")
    with pytest.raises(CellExecutionError, match="no_such_column"):
        NotebookClient(notebook, kernel_name=kernel["name"], timeout=120).execute()


def test_as_of_notebook_checks_the_recorded_stock(seeded):
    # The as-of comparison only counts if the seeded run recorded a non-trivial expectation.
    import json

    recorded = json.loads(seeded.expected_file.read_text())
    assert recorded["as_of"] == seeded.as_of and len(recorded["stock"]) == len(seeded.stock_as_of) > 100


def test_every_table_but_the_restricted_ones_is_served_by_name(sql_server, connect):
    layers = [r.namespace for r in connect.sql("SHOW DATABASES").collect()]
    names = {f"{r.namespace}.{r.tableName}" for layer in layers for r in connect.sql(f"SHOW TABLES IN {layer}").collect()}
    assert {"silver.inventory", "silver.orders", "silver.customers", "gold.inventory_availability",
            "gold.product_availability", "gold.inventory_snapshots", "silver.clickstream", "gold.funnel_hourly",
            "gold.customer_segments", "gold.price_recommendations", "quality.pipeline_events",
            "quality.quarantine"} <= names
    # Bronze holds every record raw: an analysts' server does not serve it; the quarantine is a view.
    assert "bronze" not in layers and not [n for n in names if n.startswith("bronze.")]
    assert "bronze.shop_customers" in sql_server.restricted
    assert connect.sql("SELECT * FROM gold.inventory_availability").count() > 100


WRITES = [
    "INSERT INTO silver.inventory SELECT * FROM silver.inventory LIMIT 1",
    "DELETE FROM silver.inventory WHERE product_id = 1",
    "UPDATE gold.inventory_availability SET available = 0",
    "MERGE INTO silver.orders t USING silver.orders s ON t.order_id = s.order_id WHEN MATCHED THEN UPDATE SET *",
    "CREATE TABLE default.scratch (a INT) USING delta",
    "DROP TABLE gold.product_availability",
    "ALTER TABLE silver.inventory SET TBLPROPERTIES ('x' = 'y')",
    "OPTIMIZE silver.inventory",
    "VACUUM silver.inventory",
]


@pytest.mark.parametrize("statement", WRITES, ids=lambda s: s.split()[0])
def test_sql_server_refuses_writes_by_default(connect, statement):
    before = connect.sql("SELECT count(*) AS n FROM silver.inventory").first().n
    with pytest.raises(Exception, match="read-only"):
        connect.sql(statement).collect()
    assert connect.sql("SELECT count(*) AS n FROM silver.inventory").first().n == before


def test_dataframe_writes_are_refused_too(connect):
    with pytest.raises(Exception, match="read-only"):
        connect.range(3).write.format("delta").saveAsTable("default.scratch")
    with pytest.raises(Exception, match="read-only"):
        connect.table("silver.inventory").limit(1).write.insertInto("silver.inventory")


def test_sql_server_serves_its_metrics_for_prometheus(connect, sql_server):
    # A refused write is counted by the command it was, beside the JVM's own series.
    import urllib.request

    with pytest.raises(Exception, match="read-only"):
        connect.sql("DELETE FROM silver.inventory WHERE product_id = 1").collect()
    body = urllib.request.urlopen(f"http://127.0.0.1:{sql_server.metrics_port}/metrics", timeout=10).read().decode()
    refused = [line for line in body.splitlines() if line.startswith("shoplake_sql_server_refused_plans_total{")]
    assert refused and all(float(line.split()[-1]) >= 1 for line in refused), refused
    assert any(line.startswith("jvm_memory_used_bytes") for line in body.splitlines())


def test_session_local_views_are_allowed(connect):
    connect.sql("SELECT product_id, sum(on_hand) AS units FROM silver.inventory GROUP BY product_id") \
        .createOrReplaceTempView("units_per_product")
    assert connect.sql("SELECT count(*) AS n FROM units_per_product").first().n > 0
