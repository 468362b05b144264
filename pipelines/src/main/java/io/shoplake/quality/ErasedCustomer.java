package io.shoplake.quality;

import java.io.Serializable;

/**
 * The customer an erasure is for. {@code ref} is what {@code quality.erasures} keeps instead of the
 * id: a keyed hash (silver's pseudonymizer, over a text of its own), from which the id cannot be
 * read back, but which a check or job holding the key can compute for a row to know its customer
 * was erased. It is no pseudonym silver holds, so a search for the customer's pseudonyms does not
 * find it either.
 */
public record ErasedCustomer(long id, String ref) {
  public static ErasedCustomer of(long id, KeyedHash keyedHash) {
    if (id < 0) throw new IllegalArgumentException("customer id " + id + " is negative");
    return new ErasedCustomer(id, ref(id, keyedHash));
  }

  /** Silver's pseudonymizer ({@code io.shoplake.cdc.Pseudonymizer::pseudonym}), shipped to executors. */
  public interface KeyedHash extends Serializable {
    String apply(String text);
  }

  public static String ref(long id, KeyedHash keyedHash) {
    return keyedHash.apply("erased customer " + id);
  }
}
