package io.shoplake.cdc;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Replaces personal data by HMAC-SHA256 of it under a secret key: the same value always maps
 * to the same pseudonym (joins and counts still work), and without the key a pseudonym cannot
 * be reversed or recomputed from a guessed value.
 */
public final class Pseudonymizer implements Serializable {
  private static final String ALGORITHM = "HmacSHA256";
  private final byte[] key;

  public Pseudonymizer(String key) {
    if (key == null || key.length() < 16) {
      throw new IllegalArgumentException("shoplake.pii.key (SHOPLAKE_PII_KEY) must be at least 16 characters");
    }
    this.key = key.getBytes(StandardCharsets.UTF_8);
  }

  /** The table's pseudonymizer, or null when it has no personal columns (then no key is needed). */
  public static Pseudonymizer forTable(CdcTableSpec spec, Supplier<String> key) {
    return spec.pseudonymised().isEmpty() ? null : new Pseudonymizer(key.get());
  }

  /** Lower-case hex HMAC of the UTF-8 value; null stays null. */
  public String pseudonym(String value) {
    if (value == null) return null;
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " unavailable", e);
    }
  }

  public Column apply(Column value) {
    UserDefinedFunction udf = functions.udf((UDF1<String, String>) this::pseudonym, DataTypes.StringType);
    return udf.apply(value.cast("string"));
  }

  @Override
  public String toString() {
    return "Pseudonymizer[key=****]";
  }
}
