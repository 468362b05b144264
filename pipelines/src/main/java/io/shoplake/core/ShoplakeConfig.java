package io.shoplake.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The resolved Shoplake configuration. The layering order lives here and nowhere else
 * (lowest to highest):
 *
 * <ol>
 *   <li>{@code conf/base.conf}
 *   <li>the devstack endpoints file, when the environment is local or s3 and it exists
 *   <li>{@code conf/<env>.conf}
 *   <li>{@code conf/env.conf}: endpoints and secrets from environment variables
 *   <li>{@code --conf key=value} from the command line
 * </ol>
 *
 * <p>Files come from the folder named by the system property {@code shoplake.conf.dir} (the
 * launcher sets it) or else from {@code conf/} on the classpath (the cluster jar).
 */
public final class ShoplakeConfig {
  public static final List<String> ENVIRONMENTS = List.of("local", "s3", "cluster");
  private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "access-key", "token", "pii.key", "jaas");

  private final Config config;
  private final String env;
  private final List<String> sources;
  private final ConfigKeys declared;

  private ShoplakeConfig(Config config, String env, List<String> sources, ConfigKeys declared) {
    this.config = config;
    this.env = env;
    this.sources = List.copyOf(sources);
    this.declared = declared;
  }

  public static ShoplakeConfig load(String env, Map<String, String> overrides) {
    return load(env, overrides, null);
  }

  /**
   * @param devstackFile endpoints file of a running devstack; null means: the one in the
   *     configured devstack state dir, if any
   */
  public static ShoplakeConfig load(String env, Map<String, String> overrides, Path devstackFile) {
    if (!ENVIRONMENTS.contains(env)) {
      throw new IllegalArgumentException(
          "Unknown environment '" + env + "'; expected one of " + ENVIRONMENTS);
    }
    List<String> sources = new ArrayList<>();
    Config base = file("base.conf", sources);
    Config overlay = file(env + ".conf", sources);
    Config fromEnv = file("env.conf", sources);
    Config cli = ConfigFactory.parseMap(overrides, "--conf");
    if (!overrides.isEmpty()) sources.add("--conf " + overrides.keySet());

    Config devstack = ConfigFactory.empty();
    if (!env.equals("cluster")) {
      Path endpoints = devstackFile != null ? devstackFile : defaultDevstackFile(cli, fromEnv, base);
      if (endpoints != null && Files.isRegularFile(endpoints)) {
        devstack = ConfigFactory.parseFile(endpoints.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        sources.add(endpoints.toString());
      }
    }
    Config resolved =
        cli.withFallback(fromEnv).withFallback(overlay).withFallback(devstack).withFallback(base).resolve();
    ConfigKeys declared = ConfigKeys.declaredIn(base);
    declared.check(resolved);
    return new ShoplakeConfig(resolved, env, sources, declared);
  }

  /** The keys base.conf declares, with their defaults and comments. */
  public static ConfigKeys declaredKeys() {
    return ConfigKeys.declaredIn(file("base.conf", new ArrayList<>()));
  }

  /** The environment variables env.conf reads, by the key each sets. */
  public static Map<String, String> environmentVariables() {
    return ConfigKeys.environmentVariables(file("env.conf", new ArrayList<>()));
  }

  private static Path defaultDevstackFile(Config cli, Config fromEnv, Config base) {
    try {
      Config dirs = cli.withFallback(fromEnv).withFallback(base).resolve();
      return Path.of(dirs.getString("shoplake.devstack.state-dir")).resolve("devstack.conf");
    } catch (ConfigException e) {
      return null;
    }
  }

  private static Config file(String name, List<String> sources) {
    String dir = System.getProperty("shoplake.conf.dir");
    ConfigParseOptions strict = ConfigParseOptions.defaults().setAllowMissing(false);
    if (dir != null) {
      Path path = Path.of(dir, name);
      sources.add(path.toString());
      return ConfigFactory.parseFile(path.toFile(), strict);
    }
    sources.add("classpath:conf/" + name);
    return ConfigFactory.parseResources("conf/" + name, strict);
  }

  public String env() {
    return env;
  }

  public Config raw() {
    return config;
  }

  /** The files the configuration came from, lowest first; used in error messages. */
  public List<String> sources() {
    return sources;
  }

  public String string(String key) {
    return required(key, () -> config.getString(key));
  }

  public int integer(String key) {
    return required(key, () -> config.getInt(key));
  }

  /** A decimal setting: a share, a factor. */
  public double number(String key) {
    return required(key, () -> config.getDouble(key));
  }

  /** A size: a number of bytes, or with a unit ({@code 1 MiB}). */
  public long bytes(String key) {
    return required(key, () -> config.getBytes(key));
  }

  public long millis(String key) {
    return required(key, () -> config.getDuration(key).toMillis());
  }

  public List<String> strings(String key) {
    return required(key, () -> config.getStringList(key));
  }

  public boolean has(String key) {
    return config.hasPath(key);
  }

  public String stringOr(String key, String fallback) {
    return config.hasPath(key) ? config.getString(key) : fallback;
  }

  /** Copies the config with one more override on top (used by tests and the demo). */
  public ShoplakeConfig with(String key, Object value) {
    declared.checkKey(key);
    return new ShoplakeConfig(
        config.withValue(key, ConfigValueFactory.fromAnyRef(value)), env, sources, declared);
  }

  private <T> T required(String key, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (ConfigException.Missing e) {
      throw new MissingConfigException(key, sources);
    } catch (ConfigException.WrongType e) {
      throw new IllegalArgumentException(
          "Config key '" + key + "' has the wrong type: " + e.getMessage(), e);
    }
  }

  /** The resolved {@code shoplake} tree as flat key = value lines, secrets masked. */
  public String describe() {
    Map<String, String> flat = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.getConfig("shoplake").entrySet()) {
      String key = "shoplake." + e.getKey();
      String value = e.getValue().render(ConfigRenderOptions.concise());
      flat.put(key, isSecret(key) ? "****" : value);
    }
    StringBuilder out = new StringBuilder("Resolved configuration (env=" + env + ", from " + sources + "):\n");
    flat.forEach((k, v) -> out.append("  ").append(k).append(" = ").append(v).append('\n'));
    return out.toString();
  }

  static boolean isSecret(String key) {
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains);
  }
}
