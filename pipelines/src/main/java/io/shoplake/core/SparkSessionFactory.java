package io.shoplake.core;

import org.apache.spark.sql.SparkSession;

/** The one place a SparkSession is configured: Delta, s3a, shuffle partitions, extras. */
public final class SparkSessionFactory {
  private SparkSessionFactory() {}

  public static SparkSession create(ShoplakeConfig config) {
    SparkSession.Builder builder = SparkSession.builder()
        .appName(config.string("shoplake.spark.app-name"))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.shuffle.partitions", config.integer("shoplake.spark.shuffle-partitions"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.scheduler.mode", "FAIR")
        // Table names are registered per session; their databases live beside the tables,
        // not in a spark-warehouse folder under whatever directory the JVM started in.
        .config("spark.sql.warehouse.dir", Tables.from(config).warehouse() + "/_catalog")
        // Streaming jobs rely on MERGE schema checks, not on inference at read time.
        .config("spark.sql.streaming.schemaInference", "false");
    if (config.has("shoplake.spark.master")) {
      builder.master(config.string("shoplake.spark.master"));
    }
    if (config.has("shoplake.s3.endpoint")) {
      s3a(config).forEach(builder::config);
    }
    config.raw().getConfig("shoplake.spark.conf").entrySet()
        .forEach(e -> builder.config(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    SparkSession spark = builder.getOrCreate();
    sizeCompiledCodeCache();
    return spark;
  }

  /**
   * Spark sizes its compiled-code cache once per JVM, from the SQL conf of the thread that
   * first generates code: from a thread without an active session (a task, a pool thread) the
   * cache holds Spark's default of 100 classes, whatever the configured size. Called here,
   * where the new session is this thread's active one, the configured size applies.
   */
  private static void sizeCompiledCodeCache() {
    try {
      Class.forName("org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator$", true,
          SparkSessionFactory.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Spark's code generator is not on the class path", e);
    }
  }

  /** s3a settings for an S3-protocol endpoint (AWS, MinIO, S3Proxy). */
  static java.util.Map<String, String> s3a(ShoplakeConfig config) {
    String endpoint = config.string("shoplake.s3.endpoint");
    String p = "spark.hadoop.fs.s3a.";
    return java.util.Map.of(
        p + "endpoint", endpoint,
        p + "endpoint.region", config.string("shoplake.s3.region"),
        p + "path.style.access", String.valueOf(config.raw().getBoolean("shoplake.s3.path-style-access")),
        p + "connection.ssl.enabled", String.valueOf(endpoint.startsWith("https")),
        p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        p + "access.key", config.string("shoplake.s3.access-key"),
        p + "secret.key", config.string("shoplake.s3.secret-key"),
        p + "impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
  }
}
