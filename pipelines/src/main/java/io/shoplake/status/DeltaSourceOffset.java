package io.shoplake.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * Where a Delta source of a streaming query stands, from one line of its checkpoint's offsets
 * ({@link CheckpointProgress#sourceOffsets()}).
 *
 * @param reservoirId Delta's id of the table read
 * @param version the version the query reads next, or is in the middle of
 * @param readThrough the last version it has read whole
 */
public record DeltaSourceOffset(String reservoirId, long version, long readThrough) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Delta marks an offset at the start of a version, before any of its files. */
  private static final long BASE_INDEX = -1;

  /** The offset, or empty when the line is another source's (Kafka's). */
  public static Optional<DeltaSourceOffset> parse(String line) throws JsonProcessingException {
    JsonNode node = JSON.readTree(line);
    if (!node.has("reservoirId")) return Optional.empty();
    long version = node.get("reservoirVersion").asLong();
    // At the start of a version nothing of it is read yet; at any file of it, that version is taken.
    long readThrough = node.get("index").asLong() == BASE_INDEX ? version - 1 : version;
    return Optional.of(new DeltaSourceOffset(node.get("reservoirId").asText(), version, readThrough));
  }
}
