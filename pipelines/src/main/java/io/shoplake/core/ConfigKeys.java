package io.shoplake.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration keys Shoplake reads, declared once: every key is in {@code conf/base.conf} with
 * its default ({@code null} where only the environment can supply one) and a comment above it.
 * A key under {@code shoplake.} that base.conf does not declare is refused, naming the nearest
 * declared key: a misspelt setting would otherwise fall back to its default unnoticed.
 *
 * <p>Some maps are keyed by names the user chooses (jobs, shop tables, event types): there an entry
 * may have any name, and its keys are those the entries in base.conf use. {@code shoplake.spark.conf}
 * is copied to Spark verbatim and {@code shoplake.kafka.options} to every Kafka client, so Spark and
 * Kafka judge what is below them.
 */
public final class ConfigKeys {
  static final String ANY = "<name>";
  private static final List<List<String>> NAMED_ENTRIES = List.of(
      List.of("shoplake", "jobs"), List.of("shoplake", "cdc", "tables"), List.of("shoplake", "models", "interactions", "weights"));
  private static final List<List<String>> PASS_THROUGH = List.of(
      List.of("shoplake", "spark", "conf"), List.of("shoplake", "kafka", "options"));
  private static final Pattern LIST_INDEX = Pattern.compile("\\d+");
  private static final Pattern ENV_VARIABLE = Pattern.compile("\\$\\{\\?(\\w+)}");

  /** One declared key: its path (a named entry's name as {@link #ANY}), default as written, and comment. */
  public record Key(List<String> path, List<String> concretePath, String defaultValue, String doc) {
    public String name() {
      return ConfigUtil.joinPath(concretePath);
    }
  }

  private final List<Key> keys;
  private final Map<String, String> namedEntryDocs;
  private final Map<List<String>, Key> byPattern = new LinkedHashMap<>();

  private ConfigKeys(List<Key> keys, Map<String, String> namedEntryDocs) {
    this.keys = List.copyOf(keys);
    this.namedEntryDocs = Map.copyOf(namedEntryDocs);
    keys.forEach(key -> byPattern.putIfAbsent(key.path(), key));
  }

  /** The keys base.conf declares, parsed without resolving so that each keeps its comment. */
  public static ConfigKeys declaredIn(Config base) {
    List<Key> keys = new ArrayList<>();
    leaves(base.root(), new ArrayList<>(), (path, value) -> keys.add(new Key(pattern(path), List.copyOf(path),
        value.render(ConfigRenderOptions.concise()), comment(value))));
    Map<String, String> namedEntryDocs = new LinkedHashMap<>();
    for (List<String> map : NAMED_ENTRIES) {
      String key = ConfigUtil.joinPath(map);
      if (base.hasPath(key)) namedEntryDocs.put(key, comment(base.getValue(key)));
    }
    return new ConfigKeys(keys, namedEntryDocs);
  }

  public List<Key> keys() {
    return keys;
  }

  /** The map of named entries a key belongs to ({@code shoplake.jobs}, ...), if any. */
  public static java.util.Optional<String> namedEntryMap(Key key) {
    return NAMED_ENTRIES.stream().filter(map -> key.path().size() > map.size() && key.path().get(map.size()).equals(ANY)
        && key.path().subList(0, map.size()).equals(map)).map(ConfigUtil::joinPath).findFirst();
  }

  /** The comment above a map of named entries: it documents every entry's keys. */
  public String namedEntryDoc(String map) {
    return namedEntryDocs.getOrDefault(map, "");
  }

  /**
   * Fails naming every key of {@code config} under {@code shoplake.} that is not declared, where it
   * was set, and the nearest declared key.
   */
  public void check(Config config) {
    List<String> unknown = new ArrayList<>();
    leaves(config.root(), new ArrayList<>(), (path, value) -> {
      if (!path.isEmpty() && path.get(0).equals("shoplake") && !isDeclared(path)) {
        String where = " (set in " + value.origin().description() + ")";
        unknown.add("'" + ConfigUtil.joinPath(path) + "'" + where + ": did you mean '" + nearest(path) + "'?");
      }
    });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Unknown configuration key" + (unknown.size() == 1 ? " " : "s:\n  ")
          + String.join("\n  ", unknown) + "\nEvery key is declared in conf/base.conf and listed in docs/configuration.md.");
    }
  }

  /** Fails unless {@code key} (a path as HOCON writes it) is declared, or holds declared keys. */
  public void checkKey(String key) {
    List<String> path = ConfigUtil.splitPath(key);
    List<String> pattern = pattern(path);
    boolean declaredObject = byPattern.keySet().stream()
        .anyMatch(p -> p.size() > pattern.size() && p.subList(0, pattern.size()).equals(pattern));
    if (path.get(0).equals("shoplake") && !isDeclared(path) && !declaredObject) {
      throw new IllegalArgumentException(
          "Unknown configuration key '" + key + "': did you mean '" + nearest(path) + "'?");
    }
  }

  /** The environment variables {@code env.conf} reads, by the key they set. */
  public static Map<String, String> environmentVariables(Config envConf) {
    Map<String, String> byKey = new LinkedHashMap<>();
    leaves(envConf.root(), new ArrayList<>(), (path, value) -> {
      Matcher m = ENV_VARIABLE.matcher(value.render(ConfigRenderOptions.concise()));
      if (m.find()) byKey.put(ConfigUtil.joinPath(path), m.group(1));
    });
    return byKey;
  }

  private boolean isDeclared(List<String> path) {
    if (PASS_THROUGH.stream().anyMatch(map -> path.size() > map.size() && path.subList(0, map.size()).equals(map))) {
      return true;
    }
    List<String> pattern = pattern(path);
    if (byPattern.containsKey(pattern)) return true;
    // A numbered key replaces a list with one value (--conf shoplake.models.training.ranks.0=10).
    return LIST_INDEX.matcher(path.get(path.size() - 1)).matches()
        && byPattern.containsKey(pattern.subList(0, pattern.size() - 1));
  }

  private String nearest(List<String> path) {
    String wanted = ConfigUtil.joinPath(pattern(path));
    return byPattern.keySet().stream().min(Comparator.comparingInt(p -> distance(wanted, ConfigUtil.joinPath(p))))
        .map(p -> display(p, path)).orElse("?");
  }

  /** A pattern shown with the user's own entry name where they gave one. */
  private static String display(List<String> pattern, List<String> path) {
    List<String> shown = new ArrayList<>(pattern);
    for (int i = 0; i < shown.size(); i++) {
      if (shown.get(i).equals(ANY) && i < path.size()) shown.set(i, path.get(i));
    }
    return ConfigUtil.joinPath(shown);
  }

  static List<String> pattern(List<String> path) {
    List<String> pattern = new ArrayList<>(path);
    for (List<String> map : NAMED_ENTRIES) {
      if (path.size() > map.size() && path.subList(0, map.size()).equals(map)) pattern.set(map.size(), ANY);
    }
    return pattern;
  }

  /** Every leaf below {@code object}: values that are not objects (or are empty ones), nulls included. */
  private static void leaves(ConfigObject object, List<String> path, BiConsumer<List<String>, ConfigValue> visit) {
    for (String name : object.keySet().stream().sorted().toList()) {
      ConfigValue value = object.get(name);
      path.add(name);
      if (value instanceof ConfigObject child && !child.isEmpty()) {
        leaves(child, path, visit);
      } else {
        visit.accept(List.copyOf(path), value);
      }
      path.remove(path.size() - 1);
    }
  }

  private static String comment(ConfigValue value) {
    return String.join(" ", value.origin().comments().stream().map(String::trim).toList()).trim();
  }

  /** True when every value in {@code value} comes from base.conf, the declarations, rather than a user's setting. */
  public static boolean isDefault(ConfigValue value) {
    List<Boolean> fromBase = new ArrayList<>();
    if (value instanceof ConfigObject object) {
      leaves(object, new ArrayList<>(), (path, leaf) -> fromBase.add(declaredInBase(leaf)));
    } else {
      fromBase.add(declaredInBase(value));
    }
    return fromBase.stream().allMatch(b -> b);
  }

  private static boolean declaredInBase(ConfigValue value) {
    String where = value.origin().resource() != null ? value.origin().resource() : value.origin().filename();
    return where != null && where.endsWith("base.conf");
  }

  /** The candidate closest to {@code wanted}, for suggesting what was meant. */
  public static String nearest(String wanted, java.util.Collection<String> candidates) {
    return candidates.stream().min(Comparator.comparingInt(c -> distance(wanted, c))).orElse("?");
  }

  /** Edit distance, for suggesting the key that was meant. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
