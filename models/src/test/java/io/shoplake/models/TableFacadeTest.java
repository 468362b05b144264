package io.shoplake.models;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.shoplake.architecture.TableFacadeRule;
import org.junit.jupiter.api.Test;

/** The models reach the registry's tables only through the table facade, as the jobs do. */
class TableFacadeTest {
  @Test
  void modelsReachDeltaTablesOnlyThroughTheFacade() {
    TableFacadeRule.RULE.check(new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.shoplake.models"));
  }
}
