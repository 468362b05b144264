"""The analysts' endpoint as deployed: a bearer token over TLS, nothing in plaintext, no way for a
client to read the server's secrets back (config RPC, SET, variable substitution, reflection) or to
start a streaming query on a read-only server, and no personal data in clear: a customer planted
with distinctive values is searched for in every table an analyst can read.

Token and TLS checks speak gRPC directly (PySpark's client retries a refused connection for
minutes); the rest goes through PySpark as an analyst would."""

from __future__ import annotations

import uuid

import grpc
import pytest

REDACTED = "*********(redacted)"


def config_stub(sql_server, credentials: grpc.ChannelCredentials | None):
    from pyspark.sql.connect.proto import base_pb2_grpc

    target = f"localhost:{sql_server.port}"
    channel = grpc.secure_channel(target, credentials) if credentials else grpc.insecure_channel(target)
    return base_pb2_grpc.SparkConnectServiceStub(channel)


def get_all(stub, token: str | None):
    from pyspark.sql.connect.proto import base_pb2

    request = base_pb2.ConfigRequest(session_id=str(uuid.uuid4()), user_context=base_pb2.UserContext(user_id="pytest"),
                                     operation=base_pb2.ConfigRequest.Operation(get_all=base_pb2.ConfigRequest.GetAll()))
    metadata = [("authorization", f"Bearer {token}")] if token else []
    return stub.Config(request, metadata=metadata, timeout=30)


def tls(sql_server) -> grpc.ChannelCredentials:
    return grpc.ssl_channel_credentials(sql_server.certificate.read_bytes())


def test_only_a_client_with_the_token_gets_in(sql_server):
    stub = config_stub(sql_server, tls(sql_server))
    for token in (None, "not-" + sql_server.token):
        with pytest.raises(grpc.RpcError) as refused:
            get_all(stub, token)
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED, token
    assert get_all(stub, sql_server.token).pairs, "with the token the same call is answered"


def test_plaintext_is_refused(sql_server):
    with pytest.raises(grpc.RpcError) as refused:
        get_all(config_stub(sql_server, None), sql_server.token)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


def test_the_ready_line_and_the_log_hold_no_secret(sql_server, connect):
    connect.sql("SELECT 1").collect()
    log = sql_server.log.read_text()
    for value in (sql_server.token, *sql_server.secrets.values()):
        assert value not in sql_server.ready_line and value not in log
    assert sql_server.url.endswith("/;use_ssl=true") and "(read-only, analysts, token)" in sql_server.ready_line


def test_no_client_reads_a_secret_back(sql_server, connect):
    secrets = [sql_server.token, *sql_server.secrets.values()]
    # The server does hold them: they are named in its conf, each redacted.
    for key in ("spark.connect.authenticate.token", "spark.hadoop.fs.s3a.secret.key", "spark.hadoop.fs.s3a.access.key"):
        assert connect.conf.get(key) == REDACTED, key
    everything = {p.key: p.value for p in get_all(config_stub(sql_server, tls(sql_server)), sql_server.token).pairs}
    assert everything["spark.hadoop.fs.s3a.secret.key"] == REDACTED
    shown = [str(v) for v in everything.values()]
    shown += [str(r) for statement in ("SET", "SET -v", "SET spark.hadoop.fs.s3a.secret.key")
              for r in connect.sql(statement).collect()]
    # Variable substitution would expand these inside SQL text; it is off, and stays off.
    shown += [str(r) for r in connect.sql(
        "SELECT '${env:AWS_SECRET_ACCESS_KEY}' AS a, '${spark.connect.authenticate.token}' AS b").collect()]
    assert not [s for s in shown if any(secret in s for secret in secrets)]


@pytest.mark.parametrize("change", [
    lambda spark: spark.conf.set("spark.sql.variable.substitute", "true"),
    lambda spark: spark.conf.unset("spark.sql.variable.substitute"),
    lambda spark: spark.conf.set("spark.sql.legacy.setCommandRejectsSparkCoreConfs", "false"),
    lambda spark: spark.conf.set("spark.redaction.regex", "nothing"),
    lambda spark: spark.sql("SET spark.sql.variable.substitute=true").collect(),
    lambda spark: spark.sql("SET spark.sql.redaction.string.regex=nothing").collect(),
], ids=["set", "unset", "core-confs-guard", "redaction-pattern", "sql-set", "sql-set-pattern"])
def test_the_switches_that_would_reveal_a_secret_cannot_be_changed(connect, change):
    with pytest.raises(Exception, match="cannot be (set|set or unset) by a client"):
        change(connect)
    assert connect.sql("SELECT '${env:HOME}' AS v").first().v == "${env:HOME}"


def test_a_read_only_server_refuses_streaming_queries(connect):
    with pytest.raises(Exception, match="read-only"):
        connect.readStream.format("rate").load().writeStream.format("memory").queryName("leak").start()
    with pytest.raises(Exception, match="read-only"):
        connect.readStream.table("silver.inventory").writeStream.toTable("default.leak")
    assert connect.streams.active == []
    assert "leak" not in [t.name for t in connect.catalog.listTables("default")]


def searchable_text(df):
    """One lower-case text per row holding every column's value (nested ones as JSON, bytes as text)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, BinaryType, MapType, StructType

    def text(field):
        column = F.col(f"`{field.name}`")
        if isinstance(field.dataType, (ArrayType, MapType, StructType)):
            return F.to_json(column)
        return column.cast("string")

    return F.lower(F.concat_ws("\u0001", *[text(f) for f in df.schema.fields]))


def test_no_table_an_analyst_can_read_holds_the_planted_customer_in_clear(connect, seeded):
    from pyspark.sql import functions as F

    planted, key = seeded.planted, seeded.env["SHOPLAKE_PII_KEY"]
    # The customer arrived: silver holds its personal values and the column the shop added later as
    # their pseudonyms (so the search below is not vacuous). The simulator may later change the
    # customer's e-mail or phone like any other's, so those are looked for in the first version the
    # history keeps; the added column is one the simulator does not know.
    (row,) = connect.sql(f"SELECT * FROM silver.customers WHERE customer_id = {planted.customer_id}").collect()
    assert row.loyalty_note == planted.pseudonym(planted.note, key)
    first = connect.sql(f"SELECT * FROM silver.customers_history WHERE customer_id = {planted.customer_id}"
                        " ORDER BY valid_from LIMIT 1").first()
    assert (first.email, first.phone, first.full_name) == tuple(
        planted.pseudonym(v, key) for v in (planted.email, planted.phone, planted.full_name))
    # The change with a column Delta cannot name was quarantined; analysts see that it was, not the record.
    quarantined = connect.sql("SELECT * FROM quality.quarantine WHERE source_table = 'silver.customers'"
                              " AND error_class = 'UNSTORABLE_COLUMN'").collect()
    assert quarantined and all(r.key is None and r.error_message is None for r in quarantined)
    assert "raw_value" not in connect.table("quality.quarantine").columns

    searched, found = [], {}
    for database in [r.namespace for r in connect.sql("SHOW DATABASES").collect()]:
        for table in connect.sql(f"SHOW TABLES IN {database}").collect():
            if table.isTemporary:
                continue
            name = f"{database}.{table.tableName}"
            df = connect.table(name)
            text = searchable_text(df)
            hits = df.where(F.greatest(*[F.instr(text, needle.lower()) for needle in planted.in_clear()]) > 0).count()
            searched.append(name)
            if hits:
                found[name] = hits
    assert not found, f"the planted customer's personal data in clear: {found}"
    assert {"silver.customers", "silver.customers_history", "silver.orders", "quality.quarantine",
            "quality.pipeline_events", "gold.customer_segments"} <= set(searched), searched


@pytest.mark.parametrize("read", [
    lambda spark, warehouse: spark.sql(f"SELECT * FROM delta.`{warehouse}/bronze/shop_customers`"),
    lambda spark, warehouse: spark.read.format("delta").load(f"{warehouse}/quality/quarantine"),
    lambda spark, warehouse: spark.read.text(f"{warehouse}/bronze/shop_customers/_delta_log"),
    lambda spark, warehouse: spark.read.option("recursiveFileLookup", "true").parquet(warehouse),
    lambda spark, warehouse: spark.read.text("/proc/self/environ"),
    lambda spark, warehouse: spark.sql("SELECT reflect('java.lang.System', 'getenv', 'AWS_SECRET_ACCESS_KEY')"),
], ids=["bronze-by-path", "raw-quarantine-by-path", "delta-log-as-text", "warehouse-files", "server-file",
        "reflection"])
def test_an_analyst_reads_nothing_but_the_served_tables(connect, seeded, read):
    with pytest.raises(Exception, match="serves analysts its tables only|reflect and java_method cannot be called"):
        read(connect, seeded.warehouse.as_uri()).collect()
