package io.shoplake.core;

import java.util.List;

/** A required key is absent: says which key, and where it could have been set. */
public final class MissingConfigException extends RuntimeException {
  public MissingConfigException(String key, List<String> sources) {
    super("Missing required config key '" + key + "'. Set it in one of " + sources
        + " or pass --conf " + key + "=...");
  }
}
