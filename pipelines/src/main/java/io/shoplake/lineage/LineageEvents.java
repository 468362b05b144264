package io.shoplake.lineage;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.Transport;
import io.openlineage.client.utils.UUIDUtils;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.LineageSettings;
import io.shoplake.core.RunObserver;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenLineage events for every job run: START when a job's query starts, COMPLETE when it has
 * caught up or is stopped, FAIL with the error when it fails. A run's inputs and outputs are what
 * the job declares ({@link JobDeclaration}), tables and topics alike, under the job's own name.
 * Spark's plans cannot say as much: inside {@code foreachBatch} a MERGE's source is the
 * micro-batch, which the plan no longer ties to the table it came from, so the openlineage-spark
 * listener reports those writes without inputs and under plan-node names.
 *
 * <p>When Airflow's OpenLineage provider launched the run, it passed its task's run as
 * {@code spark.openlineage.parent*}: each job run then names that task run as its parent.
 * A backend that is down costs a warning, never a job.
 */
public final class LineageEvents implements RunObserver {
  private static final Logger LOG = LoggerFactory.getLogger(LineageEvents.class);
  private static final URI PRODUCER = URI.create("urn:shoplake:pipelines");

  /** The run that launched this one (an Airflow task run), as Airflow's provider passes it. */
  public record ParentRun(String namespace, String name, UUID runId) {
    /** None when no parent is passed, or when its run id is not one: the events go without it. */
    static Optional<ParentRun> from(SparkConf conf) {
      if (!conf.contains("spark.openlineage.parentRunId") || !conf.contains("spark.openlineage.parentJobName")) {
        return Optional.empty();
      }
      String runId = conf.get("spark.openlineage.parentRunId");
      try {
        return Optional.of(new ParentRun(conf.get("spark.openlineage.parentJobNamespace", "default"),
            conf.get("spark.openlineage.parentJobName"), UUID.fromString(runId)));
      } catch (IllegalArgumentException e) {
        LOG.warn("spark.openlineage.parentRunId '{}' is not a UUID: lineage events go without a parent", runId);
        return Optional.empty();
      }
    }
  }

  private final OpenLineage openLineage = new OpenLineage(PRODUCER);
  private final OpenLineageClient client;
  private final String namespace;
  private final Tables tables;
  private final LineageDatasets datasets;
  private final String processingType;
  private final String sparkVersion;
  private final Optional<ParentRun> parent;
  private final Map<String, UUID> runs = new ConcurrentHashMap<>();

  /**
   * Events of jobs in {@code namespace} through {@code transport}; {@code bootstrapServers} names
   * the topics' namespace, asked for only when a job reads or writes one.
   */
  LineageEvents(Transport transport, String namespace, Tables tables, Supplier<String> bootstrapServers,
      boolean continuous, String sparkVersion, Optional<ParentRun> parent) {
    this.client = new OpenLineageClient(transport);
    this.namespace = namespace;
    this.tables = tables;
    this.datasets = new LineageDatasets(openLineage, tables, namespace, bootstrapServers);
    this.processingType = continuous ? "STREAMING" : "BATCH";
    this.sparkVersion = sparkVersion;
    this.parent = parent;
  }

  /** The run's lineage events, or none when {@code shoplake.lineage.transport} is none. */
  public static Optional<RunObserver> of(JobContext context) {
    LineageSettings settings = context.services().lineage();
    if (!settings.enabled()) return Optional.empty();
    var spark = context.spark().sparkContext();
    return Optional.of(new LineageEvents(LineageTransports.of(settings, context::kafka), settings.namespace(),
        context.tables(), () -> context.kafka().bootstrapServers(), context.continuous(), spark.version(),
        ParentRun.from(spark.getConf())));
  }

  @Override
  public void started(Job job) {
    UUID run = UUIDUtils.generateNewUUID();
    runs.put(job.name(), run);
    emit(job, run, EventType.START, null);
  }

  @Override
  public void ended(Job job, Throwable failure) {
    UUID run = runs.remove(job.name());
    emit(job, run != null ? run : UUIDUtils.generateNewUUID(), failure == null ? EventType.COMPLETE : EventType.FAIL,
        failure);
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      LOG.warn("lineage transport did not close cleanly", e);
    }
  }

  private void emit(Job job, UUID run, EventType type, Throwable failure) {
    try {
      client.emit(event(job, run, type, failure));
    } catch (RuntimeException e) {
      LOG.warn("lineage event {} of {} not sent: {}", type, job.name(), e.toString());
    }
  }

  private OpenLineage.RunEvent event(Job job, UUID run, EventType type, Throwable failure) {
    JobDeclaration declared = job.declaration(tables.topics());
    var runFacets = openLineage.newRunFacetsBuilder()
        .processing_engine(openLineage.newProcessingEngineRunFacetBuilder().name("spark").version(sparkVersion).build());
    parent.ifPresent(p -> runFacets.parent(openLineage.newParentRunFacetBuilder()
        .run(openLineage.newParentRunFacetRunBuilder().runId(p.runId()).build())
        .job(openLineage.newParentRunFacetJobBuilder().namespace(p.namespace()).name(p.name()).build())
        .build()));
    if (failure != null) {
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      runFacets.errorMessage(openLineage.newErrorMessageRunFacetBuilder().message(String.valueOf(failure.getMessage()))
          .programmingLanguage("JAVA").stackTrace(trace.toString()).build());
    }
    List<OpenLineage.InputDataset> inputs = new ArrayList<>();
    for (TableId table : declared.reads()) inputs.add(datasets.input(table));
    for (String topic : declared.topicsRead()) inputs.add(datasets.inputTopic(topic));
    List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
    for (TableId table : declared.written()) outputs.add(datasets.output(table));
    for (String topic : declared.topicsWritten()) outputs.add(datasets.outputTopic(topic));
    return openLineage.newRunEventBuilder()
        .eventType(type)
        .eventTime(ZonedDateTime.now(ZoneOffset.UTC))
        .run(openLineage.newRunBuilder().runId(run).facets(runFacets.build()).build())
        .job(openLineage.newJobBuilder().namespace(namespace).name(job.name())
            .facets(openLineage.newJobFacetsBuilder().jobType(openLineage.newJobTypeJobFacetBuilder()
                .processingType(processingType).integration("SPARK").jobType("JOB").build()).build())
            .build())
        .inputs(inputs)
        .outputs(outputs)
        .build();
  }
}
