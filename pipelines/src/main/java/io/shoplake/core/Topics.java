package io.shoplake.core;

import java.util.ArrayList;
import java.util.List;

/** Kafka topic names: the sources bronze ingests and the serving topics jobs publish. */
public record Topics(
    String cdcPrefix,
    List<String> cdcTables,
    List<String> outboxTopics,
    String clickstream,
    String availability,
    String lowStockAlerts,
    String segmentChanges,
    String abandonedCarts,
    String priceRecommendations) {

  public static Topics from(ShoplakeConfig config) {
    return new Topics(
        config.string("shoplake.sources.cdc.topic-prefix"),
        config.strings("shoplake.sources.cdc.tables"),
        config.strings("shoplake.sources.outbox-topics"),
        config.string("shoplake.sources.clickstream-topic"),
        config.string("shoplake.serving.availability-topic"),
        config.string("shoplake.serving.low-stock-topic"),
        config.string("shoplake.serving.segment-changes-topic"),
        config.string("shoplake.serving.abandoned-carts-topic"),
        config.string("shoplake.serving.price-topic"));
  }

  /** CDC topic of a shop table: keyed by its primary key. */
  public String cdc(String table) {
    return cdcPrefix + "." + table;
  }

  /** The outbox topic of order events ({@code events.order}). */
  public String orderEvents() {
    return outboxTopics.stream().filter(t -> t.endsWith(".order")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("shoplake.sources.outbox-topics has no '*.order' topic"));
  }

  /** Every topic bronze ingests. */
  public List<String> sources() {
    List<String> all = new ArrayList<>();
    cdcTables.forEach(t -> all.add(cdc(t)));
    all.addAll(outboxTopics);
    all.add(clickstream);
    return all;
  }
}
