package io.shoplake.demo;

import io.shoplake.core.JobRunner;
import io.shoplake.serving.AvailabilityServingJob;
import java.util.Arrays;

/** What the demo and the benchmarks watch in a continuous run: the first snapshot served. */
public final class RunningPipeline {
  private RunningPipeline() {}

  /** True once the lakehouse serving job has published a batch with rows: the first snapshot reached Redis. */
  public static boolean snapshotServed(JobRunner runner) {
    return runner.running().stream().filter(q -> q.name().equals(AvailabilityServingJob.NAME))
        .anyMatch(q -> Arrays.stream(q.recentProgress()).anyMatch(p -> p.numInputRows() > 0));
  }
}
