package io.shoplake.ingest;

import io.shoplake.core.ShoplakeConfig;

/**
 * What bronze ingest reads from {@code shoplake.sources}, once at job start.
 *
 * @param maxRecordBytes the largest record (key and value) bronze takes; a larger one is quarantined
 */
public record IngestSettings(long maxRecordBytes) {
  public IngestSettings {
    if (maxRecordBytes < 1) throw new IllegalArgumentException("shoplake.sources.max-record-bytes must be positive");
  }

  public static IngestSettings from(ShoplakeConfig config) {
    return new IngestSettings(config.bytes("shoplake.sources.max-record-bytes"));
  }
}
