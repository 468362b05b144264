"""`privacy forget` through the deployable jar on the seeded warehouse, after everything else ran
(privacy_scenario): the shop's most active customer, who had segments in Redis and user factors
in the trained models, is in neither afterwards, and no table the analysts' endpoint serves holds
them, while their orders stay for the shop's figures."""


def test_forget_succeeds_and_reaches_what_the_models_keep(seeded):
    forget = seeded.forgotten.forget
    assert forget.returncode == 0, forget.stdout[-3000:] + forget.stderr[-3000:]
    assert "erased: " in forget.stdout and "in quality.erasures" in forget.stdout
    # The models' targets come from the models module, found in the shaded jar.
    assert "user factors of the trained models" in forget.stdout and "tombstone on serving.recommendations" in forget.stdout


def test_the_customers_redis_keys_are_gone(seeded):
    assert any(":segments:" in key for key in seeded.forgotten.redis_before), seeded.forgotten.redis_before
    assert seeded.forgotten.redis_after == []


def test_no_trained_model_knows_the_customer_any_more(seeded):
    assert seeded.forgotten.factors_before, "the most active customer was trained on"
    assert seeded.forgotten.factors_after == []


def test_no_served_table_holds_the_customer_and_their_orders_stay(seeded, connect):
    customer = seeded.forgotten.customer_id
    for table in ("silver.customers", "silver.customers_history", "silver.orders", "silver.order_events",
                  "silver.clickstream", "silver.clickstream_sessions", "gold.customer_segments", "gold.abandoned_carts"):
        assert connect.sql(f"SELECT count(*) AS n FROM {table} WHERE customer_id = {customer}").first().n == 0, table
    orders = connect.sql("SELECT count(*) AS n FROM silver.orders WHERE customer_id IS NULL").first().n
    assert orders >= 1
    phases = sorted(r.phase for r in connect.sql("SELECT phase FROM quality.erasures").collect())
    assert phases == ["erased", "started"]
