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
    s3a(config).forEach(builder::config);
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

  /**
   * s3a settings: an S3-protocol endpoint (MinIO, S3Proxy) when one is set, and static keys only
   * when both are given. Without keys s3a keeps the AWS default chain (environment, web identity,
   * container and instance profiles, session tokens), which is what a cluster on AWS has.
   */
  static java.util.Map<String, String> s3a(ShoplakeConfig config) {
    String p = "spark.hadoop.fs.s3a.";
    java.util.Map<String, String> s3a = new java.util.LinkedHashMap<>();
    if (config.has("shoplake.s3.endpoint")) {
      String endpoint = config.string("shoplake.s3.endpoint");
      s3a.put(p + "endpoint", endpoint);
      s3a.put(p + "endpoint.region", config.string("shoplake.s3.region"));
      s3a.put(p + "path.style.access", String.valueOf(config.raw().getBoolean("shoplake.s3.path-style-access")));
      s3a.put(p + "connection.ssl.enabled", String.valueOf(endpoint.startsWith("https")));
    }
    boolean accessKey = config.has("shoplake.s3.access-key");
    if (accessKey != config.has("shoplake.s3.secret-key")) {
      throw new IllegalArgumentException("shoplake.s3.access-key and shoplake.s3.secret-key are given together or"
          + " not at all (then the AWS default credentials chain applies)");
    }
    if (accessKey) {
      s3a.put(p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      s3a.put(p + "access.key", config.string("shoplake.s3.access-key"));
      s3a.put(p + "secret.key", config.string("shoplake.s3.secret-key"));
    }
    if (!s3a.isEmpty()) s3a.put(p + "impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    return s3a;
  }
}
