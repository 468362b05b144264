package io.shoplake.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.demo.Settling.Look;
import io.shoplake.demo.Settling.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's verdict must not depend on how fast the machine is, only on whether the pipeline still moves. */
class SettlingTest {
  private long now;

  private Settling settling() {
    return new Settling(Duration.ofSeconds(120), Duration.ofSeconds(900), () -> now);
  }

  private Verdict at(Settling s, long seconds, Look look) {
    now = Duration.ofSeconds(seconds).toNanos();
    return s.after(look);
  }

  @Test
  void settlesAsSoonAsNothingDiffers() {
    Settling s = settling();
    assertThat(at(s, 5, new Look(100, 40, 3))).isEqualTo(Verdict.WAITING);
    assertThat(at(s, 10, new Look(100, 40, 0))).isEqualTo(Verdict.SETTLED);
  }

  @Test
  void waitsPastTheQuietSpellWhileRowsAreStillProcessed() {
    Settling s = settling();
    assertThat(at(s, 0, new Look(100, 0, 5))).isEqualTo(Verdict.WAITING);
    // A slow machine: more than the quiet spell in all, but rows keep moving through the jobs.
    for (int t = 60; t <= 600; t += 60) {
      assertThat(at(s, t, new Look(100 + t, 0, 5))).as("at %d s", t).isEqualTo(Verdict.WAITING);
    }
    assertThat(at(s, 630, new Look(700, 0, 0))).isEqualTo(Verdict.SETTLED);
  }

  @Test
  void unreadKafkaRecordsAndRowsComingToAgreeCountAsMovement() {
    Settling s = settling();
    at(s, 0, new Look(100, 0, 9));
    assertThat(at(s, 100, new Look(100, 25, 9))).isEqualTo(Verdict.WAITING);
    assertThat(at(s, 200, new Look(100, 0, 4))).isEqualTo(Verdict.WAITING);
    assertThat(at(s, 310, new Look(100, 0, 4))).isEqualTo(Verdict.WAITING);
    assertThat(at(s, 320, new Look(100, 0, 4))).isEqualTo(Verdict.QUIET);
  }

  @Test
  void givesUpAfterTheQuietSpellWhenNothingMoves() {
    Settling s = settling();
    assertThat(at(s, 5, new Look(100, 0, 2))).isEqualTo(Verdict.WAITING);
    assertThat(at(s, 115, new Look(100, 0, 2))).isEqualTo(Verdict.WAITING);
    assertThat(at(s, 125, new Look(100, 0, 2))).isEqualTo(Verdict.QUIET);
  }

  @Test
  void givesUpAtTheCapEvenWhileMoving() {
    Settling s = settling();
    long rows = 0;
    Verdict verdict = Verdict.WAITING;
    int t = 0;
    while (verdict == Verdict.WAITING && t < 2_000) {
      t += 30;
      verdict = at(s, t, new Look(rows += 10, 0, 1));
    }
    assertThat(verdict).isEqualTo(Verdict.CAPPED);
    assertThat(t).isEqualTo(900);
  }
}
