package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTest {
  @Test
  void namesAreQuotedWithBackticksInsideDoubled() {
    assertThat(Sql.quote("select")).isEqualTo("`select`");
    assertThat(Sql.quote("gift`note")).isEqualTo("`gift``note`");
    assertThat(Sql.column("s", "a.b")).isEqualTo("s.`a.b`");
    assertThat(Sql.deltaTable("file:/tmp/wh`x/silver/t")).isEqualTo("delta.`file:/tmp/wh``x/silver/t`");
  }

  @Test
  void literalsEscapeBackslashesBeforeQuotes() {
    assertThat(Sql.literal("it's C:\\dir")).isEqualTo("'it\\'s C:\\\\dir'");
  }

  @Test
  void aMergeConditionAndAssignmentsQuoteEveryName() {
    assertThat(Sql.keysEqual(List.of("order_id", "line no"))).isEqualTo("t.`order_id` = s.`order_id` AND t.`line no` = s.`line no`");
    assertThat(Sql.fromSource("order", "x`y")).containsExactly(
        java.util.Map.entry("`order`", "s.`order`"), java.util.Map.entry("`x``y`", "s.`x``y`"));
  }
}
