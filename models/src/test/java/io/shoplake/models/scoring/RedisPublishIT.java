package io.shoplake.models.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.devstack.process.Ports;
import io.shoplake.devstack.redis.RedisServer;
import io.shoplake.models.TestShop;
import io.shoplake.core.RedisSettings;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Recommendations in a real Redis (a private redis-server, as the devstack starts it). */
class RedisPublishIT {
  @TempDir static Path dir;
  static RedisSettings redis;

  @BeforeAll
  static void startRedis() throws Exception {
    int port = Ports.free();
    new RedisServer(port, dir, dir.resolve("redis.pid")).start(dir.resolve("redis.log"));
    redis = new RedisSettings("127.0.0.1", port, null, "shoplake");
  }

  @AfterAll
  static void stopRedis() throws Exception {
    RedisServer.stop(dir.resolve("redis.pid"));
  }

  private static Dataset<Row> recommendations(long modelVersion, long... products) {
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < products.length; i++) {
      rows.add(RowFactory.create(7L, i + 1, products[i], 1.0 / (i + 1), "als", modelVersion, new Timestamp(0)));
    }
    return TestShop.spark().createDataFrame(rows, Recommendations.SCHEMA);
  }

  private static void publish(Dataset<Row> table, long version) {
    ServingPublisher.toRedis(ServingPublisher.values(table, "customer_id", "product_id", version), redis,
        "recommendations", version);
  }

  @Test
  void aLaterRunReplacesTheValueAndAReplayedOlderRunNeverDoes() {
    publish(recommendations(2, 11, 12), 5);
    // A rollback to model 1 is published by a later scoring run (table version 6): it wins.
    publish(recommendations(1, 21, 22), 6);
    // A replay of the run of table version 5 comes late: it must not win.
    publish(recommendations(2, 11, 12), 5);

    try (Jedis jedis = redis.connect()) {
      assertThat(jedis.hget("shoplake:recommendations:7", "value"))
          .isEqualTo("{\"customer_id\":7,\"products\":[21,22],\"source\":\"als\",\"model_version\":1,\"version\":6}");
      assertThat(jedis.hget("shoplake:recommendations:7", "_version")).isEqualTo("6");
      assertThat(jedis.hexists("shoplake:recommendations:7", "_total")).as("no sum of non-numeric values").isFalse();
    }
  }
}
