package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobGraph;
import io.shoplake.core.Tables;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * After the {@link SharedPipelineRun}, every job that reads Kafka has its consumer group on the
 * broker, read through the admin API as kafka-consumer-groups or Burrow would, at the offsets
 * it processed: one past the last offset ingest kept of each partition. ({@link CrashRecoveryIT}
 * checks that a group is never ahead of bronze when the pipeline is killed.)
 */
@Order(1)
class ConsumerGroupsIT {
  @Test
  void eachKafkaReadingJobsGroupStandsWhereItsDurableProgressDoes() throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get();
    Tables tables = Tables.from(run.config());
    JobGraph graph = Pipeline.graph(run.config());
    Map<TopicPartition, Long> ingested = ConsumerGroups.ingested(ItSpark.get(Devstack.get()), tables);
    assertThat(ingested).as("bronze holds records of the shop's topics").isNotEmpty();

    Map<String, Map<TopicPartition, Long>> expected = new TreeMap<>();
    for (var job : graph.flowOrder()) {
      JobDeclaration declared = graph.declaration(job.name());
      if (declared.topicsRead().isEmpty()) continue;
      Map<TopicPartition, Long> offsets = new HashMap<>();
      ingested.forEach((partition, next) -> {
        if (declared.topicsRead().contains(partition.topic())) offsets.put(partition, next);
      });
      expected.put("shoplake." + job.name(), offsets);
    }
    assertThat(expected).as("jobs that read Kafka").containsKey("shoplake.bronze.ingest");
    assertThat(expected.size()).as("jobs that read Kafka").isGreaterThan(1);

    Map<String, Map<TopicPartition, Long>> committed = new TreeMap<>();
    for (String group : expected.keySet()) committed.put(group, ConsumerGroups.committed(run.config(), group));
    assertThat(committed).isEqualTo(expected);
  }
}
