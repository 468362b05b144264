package io.shoplake.privacy;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;

/**
 * Where raw JSON text names a customer: a subject field ({@code "customer_id": 42}, or as a string,
 * or escaped inside a JSON string as the outbox's payload is) holding the customer's id, and no
 * longer number that starts with it.
 */
public final class RawMentions {
  private final String regex;

  public RawMentions(List<String> fields, long customerId) {
    String names = fields.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    String quote = "\\\\?\"";
    this.regex = "(" + quote + "(?:" + names + ")" + quote + "\\s*:\\s*)(?:" + quote + customerId + quote + "|"
        + customerId + "(?![0-9.eE]))";
  }

  /** Whether the text names the customer. */
  public Column in(Column text) {
    return text.rlike(regex);
  }

  public boolean in(String text) {
    return text != null && Pattern.compile(regex).matcher(text).find();
  }

  /** The text with every subject field naming the customer set to null; the rest as it was. */
  public Column cleared(Column text) {
    return regexp_replace(text, lit(regex), lit("$1null"));
  }

  public String cleared(String text) {
    return text == null ? null : Pattern.compile(regex).matcher(text).replaceAll("$1null");
  }
}
