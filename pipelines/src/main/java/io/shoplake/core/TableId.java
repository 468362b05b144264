package io.shoplake.core;

import java.util.Objects;

/** A table's registry name, {@code <layer>.<name>}, e.g. {@code silver.inventory}. */
public record TableId(String layer, String name) {
  public TableId {
    Objects.requireNonNull(layer);
    Objects.requireNonNull(name);
    if (!name.matches("[a-z0-9_]+") || !layer.matches("[a-z]+")) {
      throw new IllegalArgumentException("Invalid table name " + layer + "." + name);
    }
  }

  public static TableId parse(String qualified) {
    int dot = qualified.indexOf('.');
    if (dot < 0) throw new IllegalArgumentException("Expected <layer>.<name>, got " + qualified);
    return new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
  }

  @Override
  public String toString() {
    return layer + "." + name;
  }
}
