package io.shoplake.core;

/** How a job is run in production: what starts it and what it answers to. */
public enum JobKind {
  /** A stream kept running ({@code run --continuous}); one micro-batch per trigger interval. */
  CONTINUOUS,
  /** One recomputation per run, launched on a schedule. */
  SCHEDULED,
  /** Publishes a table's changes to the storefront (Redis, serving topics). */
  SERVING;

  /** As printed and exported: lower case. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
