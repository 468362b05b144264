package io.shoplake.serving;

import java.util.Optional;

/**
 * The fields of a product's availability hash in Redis. A location has a field of its own; the
 * hash's bookkeeping is {@code _total}, {@code _version} and a {@code @v} twin per field. Location
 * ids are the source's free text, so a location named {@code _total} or {@code WH@v} would
 * otherwise overwrite the total or pass for a version: in a location's field, {@code %} and
 * {@code @} anywhere and a leading {@code _} are percent-encoded. Every other id is its own field,
 * as readers that never see such ids expect.
 */
public final class AvailabilityHash {
  public static final String TOTAL = "_total";
  public static final String VERSION = "_version";
  private static final String VERSION_SUFFIX = "@v";

  private AvailabilityHash() {}

  /** The field that holds {@code locationId}'s units. */
  public static String field(String locationId) {
    StringBuilder field = new StringBuilder(locationId.length());
    for (int i = 0; i < locationId.length(); i++) {
      char c = locationId.charAt(i);
      if (c == '%') field.append("%25");
      else if (c == '@') field.append("%40");
      else if (c == '_' && i == 0) field.append("%5F");
      else field.append(c);
    }
    return field.toString();
  }

  /** The field that holds the version of {@code field}'s value. */
  public static String versionField(String field) {
    return field + VERSION_SUFFIX;
  }

  /** The location whose units {@code field} holds; empty for the hash's own fields and versions. */
  public static Optional<String> location(String field) {
    if (field.startsWith("_") || field.endsWith(VERSION_SUFFIX)) return Optional.empty();
    if (field.indexOf('%') < 0) return Optional.of(field);
    return Optional.of(field.replace("%5F", "_").replace("%40", "@").replace("%25", "%"));
  }
}
