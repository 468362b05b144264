package io.shoplake.cli;

import io.shoplake.core.ConfigKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code docs/configuration.md}: every declared key with its default, environment variable and comment. */
final class ConfigurationDoc {
  private ConfigurationDoc() {}

  static String markdown(ConfigKeys declared, Map<String, String> environmentVariables) {
    Map<String, StringBuilder> sections = new TreeMap<>();
    for (ConfigKeys.Key key : declared.keys()) {
      Optional<String> map = ConfigKeys.namedEntryMap(key);
      String section = map.orElse(String.join(".", key.concretePath().subList(0, Math.min(2, key.concretePath().size()))));
      StringBuilder rows = sections.computeIfAbsent(section, s -> {
        StringBuilder start = new StringBuilder("## `" + s + "`\n\n");
        map.map(declared::namedEntryDoc).filter(doc -> !doc.isEmpty()).ifPresent(doc -> start.append(doc).append("\n\n"));
        return start.append("| key | default | environment | why |\n|---|---|---|---|\n");
      });
      String variable = environmentVariables.get(key.name());
      rows.append("| `").append(cell(key.name())).append("` | ")
          .append(key.defaultValue().equals("null") ? "none" : "`" + cell(key.defaultValue()) + "`").append(" | ")
          .append(variable == null ? "" : "`" + variable + "`").append(" | ")
          .append(cell(key.doc())).append(" |\n");
    }
    StringBuilder out = new StringBuilder("""
        # Configuration

        Generated from `conf/base.conf` by `bin/shoplake config docs > docs/configuration.md`; a test fails
        when it is stale. Every key Shoplake reads is declared in base.conf, with its default and the
        comment above it; a key under `shoplake.` that is not declared there is refused at start,
        naming the nearest one that is. Layered lowest first: `conf/base.conf` < the devstack's
        endpoints file < `conf/<env>.conf` < `conf/env.conf` (the environment variables below) <
        `--conf key=value`. A default of none means the key is required by the commands that use it.

        """);
    sections.values().forEach(rows -> out.append(rows).append('\n'));
    return out.toString().stripTrailing() + "\n";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  static List<String> undocumented(ConfigKeys declared) {
    return declared.keys().stream()
        .filter(key -> key.doc().isEmpty()
            && ConfigKeys.namedEntryMap(key).map(declared::namedEntryDoc).orElse("").isEmpty())
        .map(ConfigKeys.Key::name).toList();
  }
}
