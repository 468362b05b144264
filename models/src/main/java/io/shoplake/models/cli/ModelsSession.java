package io.shoplake.models.cli;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.Tables;
import io.shoplake.models.ModelLifecycle;
import io.shoplake.models.ModelsSettings;
import org.apache.spark.sql.SparkSession;
import org.slf4j.LoggerFactory;

/** What a models command works with: the config, settings, registry and a Spark session. */
record ModelsSession(ShoplakeConfig config, ModelsSettings settings, Tables tables, SparkSession spark) {
  static ModelsSession open(ShoplakeConfig config) {
    ModelsSettings settings = ModelsSettings.from(config);
    Tables tables = Tables.from(config); // fail fast on a missing warehouse before starting Spark
    LoggerFactory.getLogger(ModelsSession.class).info(config.describe());
    return new ModelsSession(config, settings, tables, SparkSessionFactory.create(config));
  }

  /** For commands that write nothing: a scratch warehouse serves when none is configured. */
  static ModelsSession openScratch(ShoplakeConfig config) {
    if (config.has("shoplake.storage.warehouse")) return open(config);
    try {
      return open(config.with("shoplake.storage.warehouse",
          java.nio.file.Files.createTempDirectory("shoplake-models").toUri().toString()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  ModelLifecycle lifecycle() {
    return new ModelLifecycle(spark, tables, settings);
  }
}
