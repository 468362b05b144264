package io.shoplake.clickstream;

import static io.shoplake.quality.ErrorClass.INVALID_VALUE;
import static io.shoplake.quality.ErrorClass.MALFORMED_JSON;
import static io.shoplake.quality.ErrorClass.MISSING_FIELD;
import static io.shoplake.quality.ErrorClass.WRONG_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The clickstream event contract, read from {@code conf/contracts/clickstream-event.schema.json}.
 * Validation is driven by that file (required, type, enum, minLength, pattern), so the
 * documented contract and what the job enforces cannot drift apart.
 */
public final class ClickEventContract implements Serializable {
  public static final String RESOURCE = "conf/contracts/clickstream-event.schema.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One property's rules; absent rules are null. */
  record Property(String name, List<String> types, List<String> allowed, Integer minLength, String pattern,
      String errorClass) implements Serializable {}

  /** A broken rule: a class a program can group by, a message a person can act on. */
  public record Violation(String errorClass, String message) {}

  private final List<String> required;
  private final Map<String, Property> properties;
  private transient Map<String, Pattern> compiled;

  private ClickEventContract(List<String> required, Map<String, Property> properties) {
    this.required = List.copyOf(required);
    this.properties = properties;
  }

  public static ClickEventContract load() {
    try (InputStream in = ClickEventContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
      return parse(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static ClickEventContract parse(JsonNode schema) {
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    Map<String, Property> properties = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode p = e.getValue();
      List<String> types = new ArrayList<>();
      if (p.path("type").isArray()) p.path("type").forEach(t -> types.add(t.asText()));
      else if (p.has("type")) types.add(p.path("type").asText());
      List<String> allowed = null;
      if (p.has("enum")) {
        allowed = new ArrayList<>();
        for (JsonNode v : p.path("enum")) allowed.add(v.asText());
      }
      properties.put(e.getKey(), new Property(e.getKey(), types, allowed,
          p.has("minLength") ? p.path("minLength").asInt() : null,
          p.has("pattern") ? p.path("pattern").asText() : null,
          p.path("x-error-class").asText(INVALID_VALUE)));
    }
    return new ClickEventContract(required, properties);
  }

  public List<String> required() {
    return required;
  }

  /** The allowed values of a property, empty when it has no enum. */
  public List<String> allowed(String property) {
    Property p = properties.get(property);
    return p == null || p.allowed() == null ? List.of() : List.copyOf(p.allowed());
  }

  /** The first rule {@code value} breaks, in the order of the schema file, or null if it keeps them all. */
  public Violation check(String value) {
    if (value == null) return new Violation(MALFORMED_JSON, "empty record (null value)");
    JsonNode event;
    try {
      event = JSON.readTree(value);
    } catch (IOException e) {
      return new Violation(MALFORMED_JSON, "not JSON: " + abbreviate(value));
    }
    if (event == null || !event.isObject()) return new Violation(MALFORMED_JSON, "not a JSON object: " + abbreviate(value));
    for (String field : required) {
      if (!event.has(field)) return new Violation(MISSING_FIELD, "event has no '" + field + "'");
    }
    for (Property p : properties.values()) {
      if (!event.has(p.name())) continue;
      Violation v = checkProperty(p, event.get(p.name()));
      if (v != null) return v;
    }
    return null;
  }

  private Violation checkProperty(Property p, JsonNode v) {
    if (!p.types().isEmpty() && p.types().stream().noneMatch(t -> hasType(v, t))) {
      return new Violation(WRONG_TYPE, "'" + p.name() + "' must be " + String.join(" or ", p.types()) + ", got "
          + typeOf(v) + " " + abbreviate(v.toString()));
    }
    if (!v.isTextual()) return null;
    String text = v.asText();
    if (p.allowed() != null && !p.allowed().contains(text)) {
      return new Violation(p.errorClass(), "'" + p.name() + "' is '" + abbreviate(text) + "'; allowed: "
          + String.join(", ", p.allowed()));
    }
    if (p.minLength() != null && text.length() < p.minLength()) {
      return new Violation(p.errorClass(), "'" + p.name() + "' is shorter than " + p.minLength());
    }
    if (p.pattern() != null && !pattern(p).matcher(text).find()) {
      return new Violation(p.errorClass(), "'" + p.name() + "' is '" + abbreviate(text) + "', not of the form "
          + p.pattern());
    }
    return null;
  }

  private Pattern pattern(Property p) {
    if (compiled == null) compiled = new java.util.concurrent.ConcurrentHashMap<>();
    return compiled.computeIfAbsent(p.name(), k -> Pattern.compile(p.pattern()));
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber() && v.canConvertToLong();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "null" -> v.isNull();
      default -> throw new IllegalStateException("unsupported JSON Schema type '" + type + "' in " + RESOURCE);
    };
  }

  private static String typeOf(JsonNode v) {
    if (v.isNull()) return "null";
    if (v.isTextual()) return "string";
    if (v.isIntegralNumber()) return "integer";
    if (v.isNumber()) return "number";
    if (v.isBoolean()) return "boolean";
    return v.isObject() ? "object" : "array";
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }
}
