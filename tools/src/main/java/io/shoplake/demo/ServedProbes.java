package io.shoplake.demo;

import io.shoplake.core.RedisSettings;
import io.shoplake.serving.AvailabilityHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.Jedis;

/**
 * PostgreSQL commit → Redis latency under the simulator's load, from stock rows only the
 * demo or a benchmark changes: one extra location per product with one unit on hand and one reserved.
 * Nothing can be reserved there (available is 0) and a restock of an empty row skips it (on hand
 * is not 0), so the simulator never touches them. Each probe commits a change to one row; it is
 * served once Redis holds a newer version (the source LSN) for that row than before the commit.
 * The real-time hot path writes Redis first, so this is its latency.
 */
public final class ServedProbes implements AutoCloseable {
  public static final String LOCATION = "PROBE";
  private static final String PROBE_VERSION = AvailabilityHash.versionField(AvailabilityHash.field(LOCATION));

  private record Probe(long productId, String versionBefore, long committedMs) {}

  private final Connection db;
  private final RedisSettings redis;
  private final List<Long> products;
  private final Map<Long, Probe> pending = new ConcurrentHashMap<>();
  private final List<Long> servedMillis = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private volatile int missed;

  private ServedProbes(Connection db, RedisSettings redis, List<Long> products) {
    this.db = db;
    this.redis = redis;
    this.products = products;
  }

  /** Adds the probe rows, in their own transaction: before the pipeline starts, they are in its snapshot. */
  public static void createRows(Connection db, int count) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.executeUpdate("INSERT INTO inventory(product_id, location_id, on_hand, reserved)"
          + " SELECT product_id, '" + LOCATION + "', 1, 1 FROM products ORDER BY product_id LIMIT " + count
          + " ON CONFLICT DO NOTHING");
    }
  }

  /** Starts committing {@code perSecond} probes, round robin over the rows, and watching Redis. */
  public static ServedProbes start(Connection db, RedisSettings redis, double perSecond) throws SQLException {
    List<Long> products = new ArrayList<>();
    try (var rs = db.createStatement().executeQuery(
        "SELECT product_id FROM inventory WHERE location_id = '" + LOCATION + "' ORDER BY product_id")) {
      while (rs.next()) products.add(rs.getLong(1));
    }
    if (products.isEmpty()) throw new IllegalStateException("no probe rows: call createRows first");
    ServedProbes probes = new ServedProbes(db, redis, products);
    probes.threads.add(new Thread(() -> probes.commitLoop(perSecond), "probe-commits"));
    probes.threads.add(new Thread(probes::watchLoop, "probe-redis-watch"));
    probes.threads.forEach(Thread::start);
    return probes;
  }

  /** Latencies of the probes served since the last call, in ms; probes still pending stay for the next. */
  public List<Long> drain() {
    List<Long> taken = new ArrayList<>(servedMillis);
    servedMillis.removeAll(taken);
    return taken;
  }

  /** Probes skipped because their row's previous probe was not served yet: a sign the path fell far behind. */
  public int missed() {
    return missed;
  }

  private void commitLoop(double perSecond) {
    long interval = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
    int next = 0;
    try (PreparedStatement touch = db.prepareStatement(
        "UPDATE inventory SET updated_at = clock_timestamp() WHERE product_id = ? AND location_id = '" + LOCATION + "'");
         Jedis jedis = redis.connect()) {
      for (long due = System.nanoTime(); running.get(); due += interval) {
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        long product = products.get(next++ % products.size());
        if (pending.containsKey(product)) {
          missed++;
          continue;
        }
        String before = jedis.hget(redis.availabilityKey(product), PROBE_VERSION);
        touch.setLong(1, product);
        touch.executeUpdate();
        pending.put(product, new Probe(product, before, System.currentTimeMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      if (running.get()) throw new IllegalStateException("probe commit failed", e);
    }
  }

  private void watchLoop() {
    try (Jedis jedis = redis.connect()) {
      while (running.get()) {
        for (Probe p : List.copyOf(pending.values())) {
          String now = jedis.hget(redis.availabilityKey(p.productId()), PROBE_VERSION);
          if (now != null && (p.versionBefore() == null || Long.parseLong(now) > Long.parseLong(p.versionBefore()))) {
            servedMillis.add(System.currentTimeMillis() - p.committedMs());
            pending.remove(p.productId());
          }
        }
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) t.join(10_000);
  }
}
