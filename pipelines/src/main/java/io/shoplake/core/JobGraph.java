package io.shoplake.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jobs and what flows between them, derived from their {@link JobDeclaration}s alone: a job
 * depends on every other job that writes a table it reads, and on the job given before it that
 * publishes to a topic it publishes to. Flow order is topological; among jobs free to go, the
 * order they were given decides.
 */
public final class JobGraph {
  private final List<Job> flowOrder;
  private final Map<String, JobDeclaration> declarations;
  private final Map<String, Set<String>> upstream;

  private JobGraph(List<Job> flowOrder, Map<String, JobDeclaration> declarations, Map<String, Set<String>> upstream) {
    this.flowOrder = List.copyOf(flowOrder);
    this.declarations = declarations;
    this.upstream = upstream;
  }

  /** The graph of {@code jobs} among themselves: a job outside them is no one's upstream. */
  public static JobGraph of(Collection<Job> jobs, Topics topics) {
    Map<String, Job> byName = new LinkedHashMap<>();
    Map<String, JobDeclaration> declarations = new LinkedHashMap<>();
    for (Job job : jobs) {
      if (byName.putIfAbsent(job.name(), job) != null) throw new IllegalArgumentException("two jobs named " + job.name());
      declarations.put(job.name(), job.declaration(topics));
    }
    Map<TableId, Set<String>> writers = new LinkedHashMap<>();
    declarations.forEach((name, d) -> d.written().forEach(t -> writers.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(name)));
    // A topic's readers keep its newest message per key, so the jobs publishing one topic run
    // in the order given, each after the one before it, rather than racing for the last word.
    Map<String, String> lastPublisher = new LinkedHashMap<>();
    Map<String, Set<String>> upstream = new LinkedHashMap<>();
    declarations.forEach((name, d) -> {
      Set<String> producers = new LinkedHashSet<>();
      d.reads().forEach(t -> producers.addAll(writers.getOrDefault(t, Set.of())));
      d.topicsWritten().forEach(topic -> {
        String before = lastPublisher.put(topic, name);
        if (before != null) producers.add(before);
      });
      producers.remove(name);
      upstream.put(name, Set.copyOf(producers));
    });
    return new JobGraph(topological(byName, upstream), declarations, upstream);
  }

  private static List<Job> topological(Map<String, Job> byName, Map<String, Set<String>> upstream) {
    List<Job> order = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    List<String> left = new ArrayList<>(byName.keySet());
    while (!left.isEmpty()) {
      String next = left.stream().filter(n -> placed.containsAll(upstream.get(n))).findFirst()
          .orElseThrow(() -> new IllegalStateException("jobs that read each other's tables in a cycle: " + left));
      left.remove(next);
      placed.add(next);
      order.add(byName.get(next));
    }
    return order;
  }

  /** Every job, each after the jobs it reads from. */
  public List<Job> flowOrder() {
    return flowOrder;
  }

  public JobDeclaration declaration(String job) {
    return declarations.get(job);
  }

  /** The jobs that write what {@code job} reads, and the one publishing its topics before it. */
  public Set<String> upstream(String job) {
    return upstream.get(job);
  }

  /**
   * The tables {@code jobs} read or write: what must exist before they start. A job run alone
   * needs no other table created or registered.
   */
  public List<TableDefinition> tablesTouchedBy(Collection<Job> jobs) {
    Set<TableId> touched = new LinkedHashSet<>();
    for (Job job : jobs) {
      JobDeclaration d = declarations.get(job.name());
      touched.addAll(d.reads());
      touched.addAll(d.written());
    }
    return tables().stream().filter(t -> touched.contains(t.id())).toList();
  }

  /** Every table a job writes, once each, in flow order. */
  public List<TableDefinition> tables() {
    Map<TableId, TableDefinition> tables = new LinkedHashMap<>();
    for (Job job : flowOrder) {
      for (TableDefinition d : declarations.get(job.name()).writes()) {
        TableDefinition first = tables.putIfAbsent(d.id(), d);
        if (first != null && !first.equals(d)) {
          throw new IllegalStateException(job.name() + " declares " + d.id() + " unlike the job before it");
        }
      }
    }
    return List.copyOf(tables.values());
  }
}
