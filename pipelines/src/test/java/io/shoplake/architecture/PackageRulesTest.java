package io.shoplake.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import io.shoplake.core.JobContext;
import io.shoplake.core.ShoplakeConfig;
import org.junit.jupiter.api.Test;

/**
 * Packages by role, lowest first: core (config, registry, job contract) and the runtime quality
 * and lineage primitives; the jobs; the pipeline that lists them ({@code io.shoplake.Pipeline}); the operations
 * over its tables (checks, maintenance, as-of queries, the SQL endpoint); the command line. Nothing
 * imports upward, so each layer can be read and tested without those above it. The local tools
 * (demo, benchmarks) are a module of their own above all of these: Maven keeps them out.
 */
class PackageRulesTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.shoplake");
  private static final String[] JOBS = {"io.shoplake.ingest..", "io.shoplake.cdc..", "io.shoplake.orders..",
      "io.shoplake.clickstream..", "io.shoplake.inventory..", "io.shoplake.funnel..", "io.shoplake.segments..",
      "io.shoplake.pricing..", "io.shoplake.serving..", "io.shoplake.anomalies.."};
  private static final String PIPELINE = "io.shoplake";
  private static final String[] OPERATIONS = {"io.shoplake.checks..", "io.shoplake.maintenance..", "io.shoplake.query..",
      "io.shoplake.sql..", "io.shoplake.status..", "io.shoplake.privacy.."};
  private static final String[] FRONT = {"io.shoplake.cli.."};

  @Test
  void coreDependsOnNothingElseOfShoplake() {
    noClasses().that().resideInAPackage("io.shoplake.core..")
        .should().dependOnClassesThat().resideInAnyPackage(all(new String[] {"io.shoplake.quality..", "io.shoplake.lineage.."}, JOBS,
            new String[] {PIPELINE}, OPERATIONS, FRONT))
        .check(MAIN);
  }

  @Test
  void qualityAndLineagePrimitivesDependOnlyOnCore() {
    noClasses().that().resideInAnyPackage("io.shoplake.quality..", "io.shoplake.lineage..")
        .should().dependOnClassesThat().resideInAnyPackage(all(JOBS, new String[] {PIPELINE}, OPERATIONS, FRONT))
        .check(MAIN);
  }

  @Test
  void jobsDoNotDependOnThePipelineOrWhatRunsAndInspectsThem() {
    noClasses().that().resideInAnyPackage(JOBS)
        .should().dependOnClassesThat().resideInAnyPackage(all(new String[] {PIPELINE}, OPERATIONS, FRONT))
        .check(MAIN);
  }

  @Test
  void operationsDoNotDependOnTheCommandLine() {
    noClasses().that().resideInAnyPackage(OPERATIONS).should().dependOnClassesThat().resideInAnyPackage(FRONT)
        .check(MAIN);
  }

  @Test
  void deltaTablesAreReachedOnlyThroughTheTableFacade() {
    TableFacadeRule.RULE.check(MAIN);
  }

  @Test
  void onlySettingsClassesAndTheWiringReadConfigKeys() {
    SettingsRule.RULE.check(MAIN);
  }

  @Test
  void jobsAreNotHandedTheRawConfig() {
    noMethods().that().areDeclaredIn(JobContext.class).should().haveRawReturnType(ShoplakeConfig.class).check(MAIN);
  }

  @Test
  void packagesFormNoCycles() {
    slices().matching("io.shoplake.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  private static String[] all(String[]... groups) {
    return Stream.of(groups).flatMap(Stream::of).toArray(String[]::new);
  }
}
