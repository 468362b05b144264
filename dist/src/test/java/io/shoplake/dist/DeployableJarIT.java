package io.shoplake.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the jar spark-submit and Airflow run holds, and what it must not. */
class DeployableJarIT {
  private static List<String> entries;
  private static String providers;
  private static String mainClass;

  @BeforeAll
  static void read() throws IOException {
    try (JarFile jar = new JarFile(Path.of(System.getProperty("shoplake.dist.jar")).toFile())) {
      entries = jar.stream().map(ZipEntry::getName).toList();
      mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
      try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/services/io.shoplake.cli.CommandProvider"))) {
        providers = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void holdsTheJobsTheModelsTheLauncherAndTheConfiguration() {
    assertThat(mainClass).isEqualTo("io.shoplake.cli.ShoplakeCli");
    assertThat(entries).contains("io/shoplake/Pipeline.class", "io/shoplake/cli/ShoplakeCli.class",
        "io/shoplake/models/cli/ModelsCommand.class", "conf/base.conf", "conf/cluster.conf");
    assertThat(providers).contains("io.shoplake.models.cli.ModelsCommandProvider");
  }

  @Test
  void holdsWhatLineageNeedsThatSparkDoesNotShip() {
    assertThat(entries).contains("io/openlineage/client/OpenLineageClient.class",
        "com/fasterxml/jackson/datatype/jdk8/Jdk8Module.class",
        "org/apache/hc/client5/http/impl/classic/CloseableHttpClient.class");
    assertThat(entries).as("Spark's own Jackson stays Spark's").doesNotContain(
        "com/fasterxml/jackson/databind/ObjectMapper.class", "com/fasterxml/jackson/datatype/jsr310/JavaTimeModule.class");
  }

  @Test
  void leavesOutTheLocalToolsAndWhatSparkProvides() {
    assertThat(entries).noneMatch(e -> e.startsWith("io/shoplake/bench/") || e.startsWith("io/shoplake/demo/")
        || e.startsWith("io/shoplake/tools/") || e.startsWith("io/shoplake/devstack/"));
    assertThat(providers).doesNotContain("io.shoplake.tools");
    // Delta adds classes under Spark's packages; Spark's own and Scala's stay out.
    assertThat(entries).doesNotContain("org/apache/spark/SparkContext.class", "org/apache/spark/sql/SparkSession.class",
        "scala/Predef.class");
  }
}
