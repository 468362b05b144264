package io.shoplake;

import io.shoplake.anomalies.AnomaliesJob;
import io.shoplake.anomalies.AnomalySettings;
import io.shoplake.cdc.CdcApplyJob;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.clickstream.ClickstreamJob;
import io.shoplake.clickstream.ClickstreamSettings;
import io.shoplake.core.ConfigKeys;
import io.shoplake.core.Job;
import io.shoplake.core.JobGraph;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableProvider;
import io.shoplake.quality.Erasures;
import io.shoplake.core.Topics;
import io.shoplake.funnel.FunnelHourlyJob;
import io.shoplake.funnel.RevenuePerMinuteJob;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.ingest.IngestSettings;
import io.shoplake.inventory.InventoryAvailabilityJob;
import io.shoplake.inventory.InventorySettings;
import io.shoplake.inventory.InventorySnapshotJob;
import io.shoplake.inventory.ProductAvailabilityJob;
import io.shoplake.orders.OrderEventsJob;
import io.shoplake.orders.OrderLifecycleJob;
import io.shoplake.pricing.PriceRecommendationsJob;
import io.shoplake.pricing.PricingSettings;
import io.shoplake.segments.CustomerSegmentsJob;
import io.shoplake.segments.SegmentsSettings;
import io.shoplake.serving.AbandonedCartsServingJob;
import io.shoplake.serving.AvailabilityServingJob;
import io.shoplake.serving.HotAvailabilityJob;
import io.shoplake.serving.HotPathSettings;
import io.shoplake.serving.PriceServingJob;
import io.shoplake.serving.SegmentsServingJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every job in data-flow order, and every table they write. The flow reads top to bottom. */
public final class Pipeline {
  /** Runs every job below, in order. */
  public static final String ALL = "pipeline";

  private Pipeline() {}

  /** Every job, each with its own settings resolved from {@code config} here, once. */
  public static List<Job> jobs(ShoplakeConfig config) {
    InventorySettings inventory = InventorySettings.from(config);
    List<Job> jobs = new ArrayList<>();
    jobs.add(new BronzeIngestJob(IngestSettings.from(config)));
    for (CdcTableSpec spec : cdcSpecs(config)) {
      jobs.add(new CdcApplyJob(spec));
    }
    jobs.add(new OrderEventsJob());
    jobs.add(new OrderLifecycleJob());
    jobs.add(new ClickstreamJob(ClickstreamSettings.from(config)));
    jobs.add(new InventoryAvailabilityJob(CdcTableSpec.from(config, InventoryAvailabilityJob.INVENTORY)));
    jobs.add(new ProductAvailabilityJob());
    jobs.add(new InventorySnapshotJob(inventory));
    jobs.add(new FunnelHourlyJob());
    jobs.add(new RevenuePerMinuteJob());
    jobs.add(new AvailabilityServingJob(inventory));
    jobs.add(new HotAvailabilityJob(HotPathSettings.from(config)));
    // Scheduled batch jobs: one recomputation from silver (and availability) per run.
    jobs.add(new CustomerSegmentsJob(SegmentsSettings.from(config)));
    jobs.add(new PriceRecommendationsJob(PricingSettings.from(config)));
    jobs.add(new SegmentsServingJob());
    jobs.add(new AbandonedCartsServingJob());
    jobs.add(new PriceServingJob());
    // The pipeline watching its sources and itself.
    jobs.add(new AnomaliesJob(AnomalySettings.from(config), BronzeIngestJob.NAME));
    refuseSettingsOfUnknownJobs(config, jobs.stream().map(Job::name).toList());
    return jobs;
  }

  /**
   * {@code shoplake.jobs."<job>"} of a job that does not exist would be ignored: refuse it, naming the
   * nearest job. base.conf's own entries are defaults for jobs a deployment may have configured away.
   */
  private static void refuseSettingsOfUnknownJobs(ShoplakeConfig config, List<String> names) {
    if (!config.raw().hasPath("shoplake.jobs")) return;
    var settings = config.raw().getObject("shoplake.jobs");
    for (String configured : settings.keySet()) {
      if (!names.contains(configured) && !ConfigKeys.isDefault(settings.get(configured))) {
        throw new IllegalArgumentException("shoplake.jobs has settings for '" + configured + "', which is no job: did you mean '"
            + ConfigKeys.nearest(configured, names) + "'? `shoplake jobs` lists them.");
      }
    }
  }

  /** The named job, or every job for {@link #ALL}. */
  public static Optional<List<Job>> select(ShoplakeConfig config, String name) {
    List<Job> all = jobs(config);
    if (name.equals(ALL)) return Optional.of(all);
    return all.stream().filter(j -> j.name().equals(name)).findFirst().map(List::of);
  }

  public static List<String> names(ShoplakeConfig config) {
    List<String> names = new ArrayList<>(jobs(config).stream().map(Job::name).toList());
    names.add(ALL);
    return names;
  }

  /** Every table a job writes, from the jobs' declarations. */
  public static List<TableDefinition> tables(ShoplakeConfig config) {
    return graph(config).tables();
  }

  public static JobGraph graph(ShoplakeConfig config) {
    return JobGraph.of(jobs(config), Topics.from(config));
  }

  /**
   * {@link #tables}, the erasures {@code privacy forget} records, and those other modules write ({@link
   * TableProvider}): what the SQL endpoint serves and maintenance keeps.
   */
  public static List<TableDefinition> allTables(ShoplakeConfig config) {
    List<TableDefinition> defs = new ArrayList<>(tables(config));
    defs.add(Erasures.TABLE);
    defs.addAll(TableProvider.all());
    return defs;
  }

  /**
   * The shop tables applied to silver, from {@code shoplake.cdc.tables}. Each must be a table bronze
   * ingests ({@code shoplake.sources.cdc.tables}): silver of a topic nobody ingests would stay empty.
   */
  public static List<CdcTableSpec> cdcSpecs(ShoplakeConfig config) {
    List<String> ingested = Topics.from(config).cdcTables();
    List<String> applied = config.raw().getObject("shoplake.cdc.tables").keySet().stream().sorted().toList();
    List<String> notIngested = applied.stream().filter(table -> !ingested.contains(table)).toList();
    if (!notIngested.isEmpty()) {
      throw new IllegalArgumentException("shoplake.cdc.tables applies " + notIngested
          + " to silver, but shoplake.sources.cdc.tables " + ingested + " does not ingest "
          + (notIngested.size() == 1 ? "it" : "them") + ": add " + (notIngested.size() == 1 ? "it" : "them")
          + " to shoplake.sources.cdc.tables");
    }
    return applied.stream().map(table -> CdcTableSpec.from(config, table)).toList();
  }
}
