package io.shoplake.privacy;

import io.shoplake.core.ShoplakeConfig;
import java.time.Duration;
import java.util.List;

/**
 * {@code shoplake.privacy.*} and the key erasure references are made with.
 *
 * @param subjectFields JSON field names that name a customer in raw records (bronze, the quarantine)
 * @param readersTimeout how long an erasure waits for the jobs reading what it rewrote to pass it
 * @param erasureVacuumRetention {@code maintain vacuum --erasure} keeps files that left a table more recently
 * @param piiKey the key of silver's pseudonyms ({@code shoplake.pii.key}); also  keys the erasure references; null where not configured
 */
public record PrivacySettings(List<String> subjectFields, Duration readersTimeout, Duration erasureVacuumRetention,
                              String piiKey) {
  public PrivacySettings {
    subjectFields = List.copyOf(subjectFields);
    if (subjectFields.isEmpty()) throw new IllegalArgumentException("shoplake.privacy.subject-fields is empty");
    for (String field : subjectFields) {
      if (!field.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("shoplake.privacy.subject-fields: '" + field + "' is not a plain field name");
      }
    }
  }

  public static PrivacySettings from(ShoplakeConfig config) {
    return new PrivacySettings(config.strings("shoplake.privacy.subject-fields"),
        Duration.ofMillis(config.millis("shoplake.privacy.readers-timeout")),
        Duration.ofMillis(config.millis("shoplake.privacy.erasure-vacuum-retention")),
        config.has("shoplake.pii.key") ? config.string("shoplake.pii.key") : null);
  }
}
