package io.shoplake.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import io.shoplake.core.ConfigKeys;
import io.shoplake.core.JobContext;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;

/**
 * Keys are read where settings are resolved and nowhere else: the settings classes ({@code
 * *Settings}, the CDC table specs), the registry's own ({@link Tables}, {@link Topics}), the
 * session factory, the pipeline that builds each job with its settings, and the command lines that
 * load the config. Jobs and the classes beneath them get typed values. Shared by the modules'
 * architecture tests.
 */
public final class SettingsRule {
  public static final ArchRule RULE = noClasses()
      .that().resideOutsideOfPackages("io.shoplake.cli..", "io.shoplake.models.cli..", "io.shoplake.sql..")
      .and().doNotHaveFullyQualifiedName("io.shoplake.Pipeline")
      .and().haveSimpleNameNotEndingWith("Settings").and().haveSimpleNameNotEndingWith("Spec")
      .and().doNotBelongToAnyOf(ShoplakeConfig.class, ConfigKeys.class, Tables.class, Topics.class,
          SparkSessionFactory.class, JobContext.class)
      .should().dependOnClassesThat().belongToAnyOf(ShoplakeConfig.class)
      .because("a key read deep in the code escapes the declared settings and their checks at start");

  private SettingsRule() {}
}
