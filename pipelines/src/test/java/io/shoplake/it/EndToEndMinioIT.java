package io.shoplake.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shoplake.core.ShoplakeConfig;
import java.net.URI;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The same end-to-end check with the warehouse on MinIO, where a Docker engine exists. The
 * machines this project runs on have none; there the in-process S3 endpoint run of
 * {@link EndToEndIT} is the one that counts, and this test reports that it did not run.
 */
class EndToEndMinioIT {
  @Test
  void availabilityEverywhereEqualsPostgresTruthOnMinio() throws Exception {
    assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
        "MinIO end-to-end NOT RUN: no Docker engine on this machine (the S3Proxy run in EndToEndIT covers s3a)");
    try (MinIOContainer minio = new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z")) {
      minio.start();
      try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(minio.getS3URL()))
          .region(Region.US_EAST_1).forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(minio.getUserName(), minio.getPassword()))).build()) {
        s3.createBucket(b -> b.bucket("shoplake-minio"));
      }
      Devstack devstack = Devstack.get();
      Map<String, String> settings = new java.util.HashMap<>(devstack.isolatedSettings("s3", null));
      settings.put("shoplake.storage.warehouse", "s3a://shoplake-minio/warehouse");
      SparkSession spark = ItSpark.get(devstack);
      // s3a settings per bucket, so the shared session reaches MinIO for this bucket only.
      String p = "fs.s3a.bucket.shoplake-minio.";
      spark.sparkContext().hadoopConfiguration().set(p + "endpoint", minio.getS3URL());
      spark.sparkContext().hadoopConfiguration().set(p + "access.key", minio.getUserName());
      spark.sparkContext().hadoopConfiguration().set(p + "secret.key", minio.getPassword());
      ShoplakeConfig config = devstack.config("s3", settings);
      EndToEndIT.assertPipelineReproducesPostgres(spark, config);
    }
  }
}
