package io.shoplake.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityHashTest {
  private static final List<String> AWKWARD = List.of("_total", "_version", "WH@v", "@v", "_", "%", "%40", "%5F", "a%25b",
      "_x@v%", "STORE_1", "a@b@v");

  @Test
  void anOrdinaryLocationIsItsOwnField() {
    assertThat(AvailabilityHash.field("WH-EAST")).isEqualTo("WH-EAST");
    assertThat(AvailabilityHash.field("STORE_1")).isEqualTo("STORE_1");
    assertThat(AvailabilityHash.location("WH-EAST")).contains("WH-EAST");
  }

  @Test
  void noLocationsFieldCanBeTakenForTheHashsOwnFieldsOrAVersion() {
    for (String id : AWKWARD) {
      String field = AvailabilityHash.field(id);
      assertThat(field).as(id).doesNotStartWith("_").doesNotEndWith("@v")
          .isNotIn(AvailabilityHash.TOTAL, AvailabilityHash.VERSION);
      assertThat(AvailabilityHash.location(field)).as(id).contains(id);
      assertThat(AvailabilityHash.location(AvailabilityHash.versionField(field))).as(id + "'s version").isEmpty();
    }
    assertThat(AvailabilityHash.field("_total")).isEqualTo("%5Ftotal");
    assertThat(AvailabilityHash.field("WH@v")).isEqualTo("WH%40v");
  }

  @Test
  void distinctLocationsHaveDistinctFields() {
    assertThat(AWKWARD.stream().map(AvailabilityHash::field).distinct()).hasSameSizeAs(AWKWARD);
  }

  @Test
  void theHashsOwnFieldsAreNoLocation() {
    assertThat(AvailabilityHash.location(AvailabilityHash.TOTAL)).isEmpty();
    assertThat(AvailabilityHash.location(AvailabilityHash.VERSION)).isEmpty();
    assertThat(AvailabilityHash.location("WH-EAST@v")).isEmpty();
  }
}
