package io.shoplake.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;

/**
 * Delta tables by path only in the facade ({@link TableAccess}) and the bootstrap that creates
 * them: everything else names a registry table, so each access is one a job can declare and a
 * test can record. Shared by the modules' architecture tests.
 */
public final class TableFacadeRule {
  private static final DescribedPredicate<JavaMethodCall> BY_PATH =
      new DescribedPredicate<>("reach a Delta table or a file source by path") {
        @Override
        public boolean test(JavaMethodCall call) {
          String owner = call.getTargetOwner().getName();
          String name = call.getName();
          boolean withPath = !call.getTarget().getRawParameterTypes().isEmpty();
          return owner.equals("io.delta.tables.DeltaTable") && (name.equals("forPath") || name.equals("isDeltaTable"))
              || owner.matches("org\\.apache\\.spark\\.sql\\.(streaming\\.)?Data(Frame|Stream)Reader") && name.equals("load")
                  && withPath
              || owner.matches("org\\.apache\\.spark\\.sql\\.(streaming\\.)?Data(Frame|Stream)Writer") && name.equals("save")
                  && withPath;
        }
      };

  public static final ArchRule RULE = noClasses()
      .that().doNotHaveFullyQualifiedName(TableAccess.class.getName())
      .and().doNotHaveFullyQualifiedName(TableBootstrap.class.getName())
      .should().callMethodWhere(BY_PATH);

  private TableFacadeRule() {}
}
