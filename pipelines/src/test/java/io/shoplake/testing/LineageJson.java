package io.shoplake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** OpenLineage events' datasets as the tests compare them. */
public final class LineageJson {
  private LineageJson() {}

  /** Each dataset as {@code namespace name}, then {@code = <registry name>} where it has a symlink, in event order. */
  public static List<String> datasets(JsonNode datasets) {
    List<String> names = new ArrayList<>();
    datasets.forEach(d -> names.add(d.get("namespace").asText() + " " + d.get("name").asText()
        + (d.path("facets").has("symlinks")
            ? " = " + d.get("facets").get("symlinks").get("identifiers").get(0).get("name").asText() : "")));
    return names;
  }
}
