package io.shoplake.privacy;

import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.core.ErasureTarget;
import io.shoplake.core.JobGraph;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.quality.ErasedCustomer;
import io.shoplake.quality.Erasures;
import io.shoplake.quality.Erasures.RecordChange;
import io.shoplake.quality.Erasures.TableChange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * Erases one customer everywhere Shoplake keeps them ({@code shoplake privacy forget}): bronze of
 * every topic, the quarantine, every table declaring an {@link io.shoplake.core.Erasure} (silver,
 * histories, gold, the models' tables), then what the {@link ErasureTarget}s keep (Redis keys,
 * compacted serving topics, trained models), and records it in {@link Erasures}.
 *
 * <p>Jobs keep running meanwhile. One still reading what came before a rewrite would bring the
 * customer back downstream, so the erasure starts only once every reader has read all there is,
 * waits after each pass for them to read past it, and repeats until a pass finds nothing left.
 * Old versions stay readable (time travel) until {@code shoplake maintain vacuum --erasure}.
 */
public final class CustomerErasure {
  /** The commit info every commit of an erasure carries: {@link #MARK} and the erasure's id. */
  static final String COMMIT_METADATA = "spark.databricks.delta.commitInfo.userMetadata";
  static final String MARK = "shoplake erasure ";
  /** Enough for a reader to pick up what it had begun before the first pass; more means a loop. */
  private static final int MAX_PASSES = 4;

  /** @param behind readers that had not caught up in time; the erasure did not finish when any are */
  public record Result(String erasureId, List<TableChange> tables, List<RecordChange> records, Map<String, Long> targets,
                       List<String> behind) {
    public boolean complete() {
      return behind.isEmpty();
    }
  }

  private final SparkSession spark;
  private final Tables tables;
  private final TableAccess access;
  private final PrivacySettings settings;
  private final JobGraph graph;
  private final List<TableDefinition> declared;
  private final List<ErasureTarget> targets;

  /** {@code allTables}: every table of the registry and of other modules, as the SQL endpoint serves them. */
  public CustomerErasure(SparkSession spark, Tables tables, PrivacySettings settings, JobGraph graph,
      List<TableDefinition> allTables, List<ErasureTarget> targets) {
    this.spark = spark;
    this.tables = tables;
    this.access = TableAccess.of(spark, tables);
    this.settings = settings;
    this.graph = graph;
    this.declared = allTables.stream().filter(d -> d.erasure().isPresent()).toList();
    this.targets = List.copyOf(targets);
  }

  public Result forget(long customerId, PrintWriter out) throws Exception {
    ErasedCustomer customer = ErasedCustomer.of(customerId, new Pseudonymizer(settings.piiKey())::pseudonym);
    DeltaErasures delta = new DeltaErasures(access, tables, customer, new RawMentions(settings.subjectFields(), customerId));
    ReadersPassed readers = new ReadersPassed(access, tables, graph);
    String erasureId = UUID.randomUUID().toString();

    List<String> behind = readers.await(nextVersions(), settings.readersTimeout());
    if (!behind.isEmpty()) {
      out.println("not started: these jobs have not read all their input yet, and would bring the customer back:");
      behind.forEach(b -> out.println("  " + b));
      out.flush();
      return new Result(erasureId, List.of(), List.of(), Map.of(), behind);
    }
    Erasures.append(access, tables, erasureId, customer, Erasures.STARTED, List.of(), List.of());

    List<TableChange> changed = new ArrayList<>();
    List<RecordChange> records = new ArrayList<>();
    // Marks the erasure's commits, so that `maintain vacuum --erasure` knows how far their history must go.
    spark.conf().set(COMMIT_METADATA, MARK + erasureId);
    try {
      for (int pass = 1; pass <= MAX_PASSES; pass++) {
        List<TableChange> inPass = new ArrayList<>(delta.bronze(records));
        inPass.addAll(delta.quarantine(records));
        for (TableDefinition def : declared) inPass.addAll(delta.declared(def));
        for (TableChange c : inPass) out.printf("pass %d: %-8s %6d rows of %s%n", pass, c.action(), c.rows(), c.table());
        out.flush();
        changed.addAll(inPass);
        if (inPass.isEmpty()) break;
        behind = readers.await(latestVersions(inPass), settings.readersTimeout());
        if (!behind.isEmpty()) break;
        if (pass == MAX_PASSES) behind = List.of("the customer came back after " + MAX_PASSES + " passes");
      }
    } finally {
      spark.conf().unset(COMMIT_METADATA);
    }
    Map<String, Long> erasedElsewhere = new LinkedHashMap<>();
    if (behind.isEmpty()) {
      for (ErasureTarget target : targets) {
        long n = target.erase(new ErasureTarget.Context(spark, tables, customerId));
        erasedElsewhere.put(target.name(), n);
        out.printf("erased   %6d from %s%n", n, target.name());
      }
      Erasures.append(access, tables, erasureId, customer, Erasures.ERASED, changed, records);
    } else {
      out.println("not finished: these jobs did not read past the erasure in time; run it again once they have:");
      behind.forEach(b -> out.println("  " + b));
    }
    out.flush();
    return new Result(erasureId, changed, records, erasedElsewhere, behind);
  }

  /** Every table an erasure may rewrite, at the version its next commit will have. */
  private Map<TableId, Long> nextVersions() {
    Map<TableId, Long> next = new LinkedHashMap<>();
    List<TableId> all = new ArrayList<>(tables.bronzeTables());
    all.add(Tables.QUARANTINE);
    declared.forEach(d -> all.add(d.id()));
    for (TableId table : all) {
      if (access.exists(table)) next.put(table, latest(table) + 1);
    }
    return next;
  }

  private Map<TableId, Long> latestVersions(List<TableChange> changes) {
    Map<TableId, Long> rewritten = new LinkedHashMap<>();
    for (TableChange c : changes) {
      TableId table = TableId.parse(c.table());
      rewritten.put(table, latest(table));
    }
    return rewritten;
  }

  private long latest(TableId table) {
    return access.history(table, 1).select("version").first().getLong(0);
  }
}
