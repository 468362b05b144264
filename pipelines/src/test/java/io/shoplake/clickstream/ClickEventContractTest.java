package io.shoplake.clickstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.testing.Clicks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema file in conf/ and what the job enforces are one and the same contract. */
class ClickEventContractTest {
  private static final long T0 = 1_795_000_000_000L;
  private final ClickEventContract contract = ClickEventContract.load();

  private static JsonNode schemaFile() throws Exception {
    return new ObjectMapper().readTree(Files.readString(Path.of("../conf/contracts/clickstream-event.schema.json")));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void theJobAcceptsExactlyTheEventTypesOfTheSchemaFile() throws Exception {
    List<String> enumInFile = texts(schemaFile().at("/properties/event_type/enum"));
    assertThat(enumInFile).containsExactly("view", "add_to_cart", "remove_from_cart", "checkout", "purchase", "search");
    assertThat(contract.allowed("event_type")).isEqualTo(enumInFile);
    for (String type : enumInFile) {
      assertThat(contract.check(Clicks.view("s", 1, T0).field("event_type", "\"" + type + "\"").value())).isNull();
    }
    assertThat(contract.check(Clicks.view("s", 1, T0).field("event_type", "\"click\"").value()).errorClass())
        .isEqualTo("UNKNOWN_EVENT_TYPE");
  }

  @Test
  void everyFieldTheSchemaFileRequiresIsRequiredByTheJob() throws Exception {
    List<String> required = texts(schemaFile().path("required"));
    assertThat(required).containsExactlyInAnyOrder("event_id", "session_id", "customer_id", "product_id", "event_type",
        "channel", "ts", "attributes");
    assertThat(contract.required()).isEqualTo(required);
    for (String field : required) {
      assertThat(contract.check(Clicks.view("s", 1, T0).without(field).value()))
          .isEqualTo(new ClickEventContract.Violation("MISSING_FIELD", "event has no '" + field + "'"));
    }
  }

  @Test
  void typesFollowTheSchemaFileAnonymousVisitorsAndProductlessEventsIncluded() {
    assertThat(contract.check(Clicks.checkout("s", T0).value())).as("null customer and product").isNull();
    assertThat(contract.check(Clicks.view("s", 1, T0).customer(5).field("extra", "1").value())).isNull();
    assertThat(contract.check(Clicks.view("s", 1, T0).field("product_id", "1.5").value()).errorClass())
        .isEqualTo("WRONG_TYPE");
    assertThat(contract.check(Clicks.view("s", 1, T0).field("event_id", "17").value()).errorClass())
        .isEqualTo("WRONG_TYPE");
    assertThat(contract.check(Clicks.view("s", 1, T0).field("session_id", "\"\"").value()).errorClass())
        .isEqualTo("INVALID_VALUE");
    assertThat(contract.check(Clicks.view("s", 1, T0).field("ts", "\"2026-11-25T10:00:00Z\"").value()).errorClass())
        .isEqualTo("BAD_TIMESTAMP");
  }

  @Test
  void theContractOnTheClasspathIsTheFileInConf() throws Exception {
    try (var in = getClass().getClassLoader().getResourceAsStream(ClickEventContract.RESOURCE)) {
      assertThat(new ObjectMapper().readTree(in)).isEqualTo(schemaFile());
    }
  }
}
