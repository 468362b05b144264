package io.shoplake.serving;

import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Writes hash fields only when their version is newer than the stored one, atomically in
 * Redis (a Lua script), so concurrent or replayed writers never put an older value over a
 * newer one. Each field {@code f} keeps its version in {@code f@v}; {@code _total} (sum of the
 * numeric value fields, when there are any) and {@code _version} (their highest version) are
 * kept up to date. Non-numeric values (e.g. a JSON document) are stored as they are.
 */
public final class VersionedHashWriter {
  // Versions are compared as decimal strings: LSNs can exceed the 2^53 that Lua numbers hold.
  static final String SCRIPT = """
      local function newer(a, b)
        if not b then return true end
        if #a ~= #b then return #a > #b end
        return a > b
      end
      local changed = 0
      for i = 1, #ARGV, 3 do
        local field, value, version = ARGV[i], ARGV[i + 1], ARGV[i + 2]
        if newer(version, redis.call('HGET', KEYS[1], field .. '@v')) then
          redis.call('HSET', KEYS[1], field, value, field .. '@v', version)
          changed = changed + 1
        end
      end
      if changed > 0 then
        local all = redis.call('HGETALL', KEYS[1])
        local total, numeric, top = 0, false, false
        for i = 1, #all, 2 do
          local k, v = all[i], all[i + 1]
          if string.sub(k, -2) == '@v' then
            if newer(v, top) then top = v end
          elseif string.sub(k, 1, 1) ~= '_' and tonumber(v) then
            total, numeric = total + tonumber(v), true
          end
        end
        if numeric then redis.call('HSET', KEYS[1], '_total', tostring(total)) end
        redis.call('HSET', KEYS[1], '_version', top)
      end
      return changed
      """;

  /** One versioned field value. */
  public record FieldUpdate(String key, String field, String value, long version) {}

  private VersionedHashWriter() {}

  /** One update, for writers that must not wait to fill a pipeline; true when Redis took it. */
  public static boolean writeOne(Jedis jedis, String scriptSha, FieldUpdate u) {
    Object changed = jedis.evalsha(scriptSha, List.of(u.key()),
        List.of(u.field(), u.value(), Long.toString(u.version())));
    return ((Number) changed).longValue() > 0;
  }

  /** Sends all updates in one pipeline; returns how many fields actually changed. */
  public static long write(Jedis jedis, List<FieldUpdate> updates) {
    if (updates.isEmpty()) return 0;
    return write(jedis, jedis.scriptLoad(SCRIPT), updates);
  }

  /** As {@link #write(Jedis, List)}, with the script already loaded. */
  public static long write(Jedis jedis, String sha, List<FieldUpdate> updates) {
    if (updates.isEmpty()) return 0;
    Pipeline pipeline = jedis.pipelined();
    List<redis.clients.jedis.Response<Object>> responses = new java.util.ArrayList<>();
    for (FieldUpdate u : updates) {
      responses.add(pipeline.evalsha(sha, List.of(u.key()),
          List.of(u.field(), u.value(), Long.toString(u.version()))));
    }
    pipeline.sync();
    return responses.stream().mapToLong(r -> ((Number) r.get()).longValue()).sum();
  }
}
