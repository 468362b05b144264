package io.shoplake;

import io.shoplake.core.JobContext;
import io.shoplake.core.RunObserver;
import io.shoplake.lineage.LineageEvents;
import io.shoplake.quality.BatchReports;
import io.shoplake.quality.JobFailures;
import java.util.ArrayList;
import java.util.List;

/**
 * What watches a production run: every batch in quality.pipeline_events, every failure of a
 * continuous run's job in quality.job_failures, every job run as lineage when configured.
 */
public final class RunObservers {
  private RunObservers() {}

  public static List<RunObserver> of(JobContext context) {
    List<RunObserver> observers = new ArrayList<>(List.of(BatchReports.of(context), JobFailures.of(context)));
    LineageEvents.of(context).ifPresent(observers::add);
    return observers;
  }
}
