package io.shoplake.core;

/**
 * A continuous run gave up: one job failed {@code shoplake.supervision.max-failures} times in a
 * row. The command exits with {@link #EXIT_CODE}, so whatever supervises the process (systemd,
 * Kubernetes) tells it from a crash or a usage error.
 */
public final class JobKeptFailing extends RuntimeException {
  public static final int EXIT_CODE = 3;
  private final String job;

  public JobKeptFailing(String job, int inARow, Throwable last) {
    super(job + " failed " + inARow + " times in a row without committing a batch (shoplake.supervision.max-failures);"
        + " the run stops. The last failure: " + last, last);
    this.job = job;
  }

  public String job() {
    return job;
  }
}
