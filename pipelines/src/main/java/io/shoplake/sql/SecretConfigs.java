package io.shoplake.sql;

import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * Which of the server's settings a client must not read back or change. The session conf holds
 * every {@code spark.*} setting the server started with, storage keys and the Connect token
 * among them; Spark hides those whose names match {@code spark.redaction.regex} only where it
 * displays them (UI, logs, {@code SET}), not in what its config RPC returns. And three
 * session-level switches would undo the hiding: the redaction patterns themselves, the flag
 * that forbids changing Spark core settings from a session, and variable substitution, which
 * expands {@code ${env:AWS_SECRET_ACCESS_KEY}} inside SQL text.
 */
final class SecretConfigs {
  /** What Spark writes for a redacted value (its {@code Utils.REDACTION_REPLACEMENT_TEXT}). */
  static final String REDACTED = "*********(redacted)";

  private static final Set<String> GUARDS = Set.of("spark.sql.legacy.setCommandRejectsSparkCoreConfs",
      "spark.sql.variable.substitute");

  private final Pattern secret;

  SecretConfigs(Pattern secret) {
    this.secret = secret;
  }

  /** Secrets by the server's own, fixed {@code spark.redaction.regex}, not a session's. */
  static SecretConfigs of(SparkConf conf) {
    return new SecretConfigs(Pattern.compile(conf.get("spark.redaction.regex",
        "(?i)secret|password|token|access[.]?key")));
  }

  boolean isSecret(String key) {
    return secret.matcher(key).find();
  }

  /** A setting a client may not set or unset: a secret, or a switch that would reveal one. */
  boolean isProtected(String key) {
    String k = key.trim();
    return isSecret(k) || GUARDS.contains(k) || k.startsWith("spark.redaction.") || k.startsWith("spark.sql.redaction.");
  }
}
