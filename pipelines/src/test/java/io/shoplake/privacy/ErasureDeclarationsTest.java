package io.shoplake.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
import io.shoplake.core.Erasure;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableDefinition;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An erasure reaches a table only through its declaration: one holding customers and declaring none would keep them. */
class ErasureDeclarationsTest {
  private final ShoplakeConfig config = ShoplakeConfig.load("local", Map.of());

  @Test
  void everyTableWithACustomerColumnDeclaresHowAnErasureTreatsIt() {
    for (TableDefinition def : Pipeline.allTables(config)) {
      boolean holdsCustomers = Arrays.asList(def.schema().fieldNames()).contains(Erasure.CUSTOMER);
      assertThat(def.erasure().isPresent()).as(def.id() + " declares an erasure").isEqualTo(holdsCustomers);
    }
  }

  @Test
  void theCustomersOwnRowsAreDeletedAndRowsThatOnlyNameThemAreKept() {
    Map<String, Erasure.Action> actions = Pipeline.allTables(config).stream().filter(d -> d.erasure().isPresent())
        .collect(Collectors.toMap(d -> d.id().toString(), d -> d.erasure().get().action()));

    assertThat(actions).containsEntry("silver.customers", Erasure.Action.DELETE_ROWS)
        .containsEntry("silver.customers_history", Erasure.Action.DELETE_ROWS)
        .containsEntry("gold.customer_segments", Erasure.Action.DELETE_ROWS)
        .containsEntry("silver.orders", Erasure.Action.CLEAR_COLUMN)
        .containsEntry("silver.clickstream", Erasure.Action.CLEAR_COLUMN)
        .containsEntry("gold.abandoned_carts", Erasure.Action.CLEAR_COLUMN);
  }

  @Test
  void aClearedColumnCanHoldNull() {
    for (TableDefinition def : Pipeline.allTables(config)) {
      def.erasure().filter(e -> e.action() == Erasure.Action.CLEAR_COLUMN).ifPresent(e ->
          assertThat(def.schema().apply(e.column()).nullable()).as(def.id() + "." + e.column() + " nullable").isTrue());
    }
  }
}
