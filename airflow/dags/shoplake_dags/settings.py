"""Where Airflow finds Shoplake: every name an operator sets is here, and only here.

Nothing in this module reads a Variable or a connection: DAG files stay cheap to parse. They
are read when a task runs, through the templates and the macro below.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

#: The one launcher class of the shaded jar (`spark-submit --class`).
LAUNCHER_CLASS = "io.shoplake.cli.ShoplakeCli"

#: Airflow Variable holding the path (or URL, e.g. s3a://...) of the shaded jar.
JAR_VARIABLE = "shoplake_jar"
#: Used when the Variable is unset: the jar as `mvn package` leaves it in a checkout whose
#: airflow/dags folder is the DAG folder. If the jar moves to another module, change this line.
DEFAULT_JAR_GLOB = str(Path(__file__).resolve().parents[3] / "dist" / "target" / "shoplake-[0-9]*.jar")

#: Airflow Variable naming the Shoplake environment overlay (conf/<env>.conf) the jobs run with.
ENV_VARIABLE = "shoplake_env"
DEFAULT_ENV = "cluster"

#: Airflow connection of type spark: master (host) and deploy mode (extra "deploy-mode").
SPARK_CONN_ID = "spark_default"

#: Who is paged, and what every task gets unless its job says otherwise.
OWNER = "data-engineering"


def shoplake_jar() -> str:
    """The jar for spark-submit, resolved when a task renders its templates (not at parse time)."""
    from airflow.sdk import Variable

    configured = Variable.get(JAR_VARIABLE, default=None)
    if configured:
        return configured
    candidates = sorted(glob.glob(DEFAULT_JAR_GLOB), key=os.path.getmtime)
    if not candidates:
        raise FileNotFoundError(
            f"No Shoplake jar: set the Airflow Variable {JAR_VARIABLE!r} to the shaded jar "
            f"(dist/target/shoplake-<version>.jar), or build it where {DEFAULT_JAR_GLOB} points"
        )
    return candidates[-1]
