package io.shoplake.models;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.shoplake.architecture.SettingsRule;
import io.shoplake.architecture.TableFacadeRule;
import org.junit.jupiter.api.Test;

/** The models follow the jobs' rules: tables only through the facade, config keys only in settings. */
class ArchitectureRulesTest {
  private static final JavaClasses MODELS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.shoplake.models");

  @Test
  void modelsReachDeltaTablesOnlyThroughTheFacade() {
    TableFacadeRule.RULE.check(MODELS);
  }

  @Test
  void modelsReadConfigKeysOnlyInTheirSettingsAndCommandLine() {
    SettingsRule.RULE.check(MODELS);
  }
}
