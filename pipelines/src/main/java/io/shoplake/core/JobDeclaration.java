package io.shoplake.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What a job reads and writes (tables and topics of the registry) and its kind: the one
 * declaration the pipeline's table list, run order, `shoplake jobs` and the scheduler's graph
 * are derived from. Tables a job only appends to alongside others (quarantine, pipeline events)
 * are writes like any other: their definitions make them exist before any job starts.
 */
public record JobDeclaration(JobKind kind, List<TableId> reads, List<TableDefinition> writes,
    List<String> topicsRead, List<String> topicsWritten) {

  public JobDeclaration {
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
    topicsRead = List.copyOf(topicsRead);
    topicsWritten = List.copyOf(topicsWritten);
  }

  public static JobDeclaration of(JobKind kind) {
    return new JobDeclaration(kind, List.of(), List.of(), List.of(), List.of());
  }

  public JobDeclaration reads(TableId... tables) {
    return new JobDeclaration(kind, concat(reads, List.of(tables)), writes, topicsRead, topicsWritten);
  }

  public JobDeclaration writes(TableDefinition... tables) {
    return writes(List.of(tables));
  }

  public JobDeclaration writes(List<TableDefinition> tables) {
    return new JobDeclaration(kind, reads, concat(writes, tables), topicsRead, topicsWritten);
  }

  public JobDeclaration readsTopics(List<String> topics) {
    return new JobDeclaration(kind, reads, writes, concat(topicsRead, topics), topicsWritten);
  }

  public JobDeclaration writesTopics(String... topics) {
    return new JobDeclaration(kind, reads, writes, topicsRead, concat(topicsWritten, List.of(topics)));
  }

  public List<TableId> written() {
    return writes.stream().map(TableDefinition::id).toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
