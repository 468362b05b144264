package io.shoplake.lineage;

import io.openlineage.client.OpenLineage;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Tables and topics as OpenLineage datasets, named by OpenLineage's naming conventions so that
 * a catalog joins them with what other producers (Spark's listener, Airflow, Kafka Connect)
 * report: a table by where it is stored ({@code file} + path, {@code s3://bucket} + key), with
 * its registry name as a symlink; a topic by {@code kafka://host:port} + topic.
 */
final class LineageDatasets {
  private final OpenLineage openLineage;
  private final Tables tables;
  private final String tableNamespace;
  private final Supplier<String> bootstrapServers;

  /**
   * {@code tableNamespace} holds the symlinks' registry names; {@code bootstrapServers} is asked
   * for only when a job reads or writes a topic.
   */
  LineageDatasets(OpenLineage openLineage, Tables tables, String tableNamespace, Supplier<String> bootstrapServers) {
    this.openLineage = openLineage;
    this.tables = tables;
    this.tableNamespace = tableNamespace;
    this.bootstrapServers = bootstrapServers;
  }

  /** Where a stored table is, as an OpenLineage (namespace, name). */
  static List<String> location(String path) {
    URI uri = URI.create(path);
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> List.of("file", uri.getPath());
      case "s3", "s3a", "s3n" -> List.of("s3://" + uri.getAuthority(), uri.getPath().replaceFirst("^/", ""));
      default -> List.of(scheme + "://" + uri.getAuthority(), uri.getPath());
    };
  }

  OpenLineage.InputDataset input(TableId table) {
    List<String> at = location(tables.path(table));
    return openLineage.newInputDatasetBuilder().namespace(at.get(0)).name(at.get(1)).facets(symlink(table)).build();
  }

  OpenLineage.OutputDataset output(TableId table) {
    List<String> at = location(tables.path(table));
    return openLineage.newOutputDatasetBuilder().namespace(at.get(0)).name(at.get(1)).facets(symlink(table)).build();
  }

  OpenLineage.InputDataset inputTopic(String topic) {
    return openLineage.newInputDatasetBuilder().namespace(kafkaNamespace()).name(topic).build();
  }

  OpenLineage.OutputDataset outputTopic(String topic) {
    return openLineage.newOutputDatasetBuilder().namespace(kafkaNamespace()).name(topic).build();
  }

  /** The first broker of the bootstrap list, as OpenLineage's Kafka naming has it. */
  private String kafkaNamespace() {
    return "kafka://" + bootstrapServers.get().split(",")[0].trim();
  }

  private OpenLineage.DatasetFacets symlink(TableId table) {
    return openLineage.newDatasetFacetsBuilder().symlinks(openLineage.newSymlinksDatasetFacetBuilder()
        .identifiers(List.of(openLineage.newSymlinksDatasetFacetIdentifiersBuilder()
            .namespace(tableNamespace).name(table.toString()).type("TABLE").build()))
        .build()).build();
  }
}
