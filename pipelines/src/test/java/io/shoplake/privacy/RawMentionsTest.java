package io.shoplake.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw records name a customer in several spellings; a longer id starting with theirs is someone else. */
class RawMentionsTest {
  private final RawMentions customer42 = new RawMentions(List.of("customer_id", "customerId"), 42);

  @Test
  void findsTheCustomerInEveryShapeARawRecordTakes() {
    assertThat(customer42.in("{\"customer_id\":42}")).isTrue();
    assertThat(customer42.in("{\"after\":{\"order_id\":7,\"customer_id\": 42,\"status\":\"paid\"}}")).isTrue();
    assertThat(customer42.in("{\"customer_id\":\"42\"}")).isTrue();
    // The outbox's payload is JSON inside a JSON string.
    assertThat(customer42.in("{\"payload\":\"{\\\"orderId\\\":7,\\\"customerId\\\":42}\"}")).isTrue();
  }

  @Test
  void leavesOtherCustomersAndOtherFieldsAlone() {
    assertThat(customer42.in("{\"customer_id\":420}")).isFalse();
    assertThat(customer42.in("{\"customer_id\":4}")).isFalse();
    assertThat(customer42.in("{\"customer_id\":42.5}")).isFalse();
    assertThat(customer42.in("{\"order_id\":42,\"product_id\":42}")).isFalse();
    assertThat(customer42.in((String) null)).isFalse();
  }

  @Test
  void clearingSetsTheFieldToNullAndKeepsTheRestOfTheRecord() {
    assertThat(customer42.cleared("{\"order_id\":42,\"customer_id\":42,\"total\":\"9.50\"}"))
        .isEqualTo("{\"order_id\":42,\"customer_id\":null,\"total\":\"9.50\"}");
    assertThat(customer42.cleared("{\"before\":{\"customer_id\":\"42\"},\"after\":{\"customer_id\": 42}}"))
        .isEqualTo("{\"before\":{\"customer_id\":null},\"after\":{\"customer_id\": null}}");
    assertThat(customer42.cleared("{\"payload\":\"{\\\"customerId\\\":42,\\\"status\\\":\\\"paid\\\"}\"}"))
        .isEqualTo("{\"payload\":\"{\\\"customerId\\\":null,\\\"status\\\":\\\"paid\\\"}\"}");
    assertThat(customer42.cleared("{\"customer_id\":420}")).isEqualTo("{\"customer_id\":420}");
  }
}
