package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobGraph;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Each job of the {@link SharedPipelineRun} touched only the tables it declares: what the table
 * list, the run order and the Airflow graph are derived from is what the jobs really do.
 */
@Order(1)
class DeclaredTablesIT {
  @Test
  void everyJobReadsAndWritesOnlyTheTablesItDeclares() throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get();
    JobGraph graph = Pipeline.graph(run.config());

    Set<String> undeclared = new TreeSet<>();
    Set<String> jobsSeen = new HashSet<>();
    for (TableAccess.Access access : run.accesses()) {
      if (access.job() == null) continue;
      jobsSeen.add(access.job());
      JobDeclaration declared = graph.declaration(access.job());
      List<TableId> allowed = access.kind() == TableAccess.Kind.READ
          ? concat(declared.reads(), declared.written()) : declared.written();
      if (!allowed.contains(access.table())) undeclared.add(access.job() + " " + access.kind() + " " + access.table());
    }
    assertThat(undeclared).as("accesses no declaration names").isEmpty();

    Set<String> withTables = new TreeSet<>();
    graph.flowOrder().forEach(job -> {
      JobDeclaration d = graph.declaration(job.name());
      if (!d.reads().isEmpty() || !d.writes().isEmpty()) withTables.add(job.name());
    });
    assertThat(jobsSeen).as("jobs whose accesses were recorded and attributed").containsAll(withTables);
  }

  private static List<TableId> concat(List<TableId> a, List<TableId> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
