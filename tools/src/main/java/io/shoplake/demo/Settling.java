package io.shoplake.demo;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides how long the demo waits, after the simulator stopped, for every layer to agree with
 * PostgreSQL. A fixed wait failed the demo on a slow hour of a small machine while the
 * pipeline was still catching up; so it waits for as long as the pipeline moves, and gives up
 * only after a quiet spell with nothing moving, or at a cap that bounds a run that never agrees.
 */
final class Settling {
  /** What the demo sees at one look: rows the jobs have processed, Kafka lag, and rows that still differ. */
  record Look(long processedRows, long kafkaLag, int mismatches) {}

  enum Verdict { SETTLED, WAITING, QUIET, CAPPED }

  private final Duration quiet;
  private final Duration cap;
  private final LongSupplier nanoClock;
  private final long started;
  private long lastMove;
  private Look last;

  Settling(Duration quiet, Duration cap, LongSupplier nanoClock) {
    this.quiet = quiet;
    this.cap = cap;
    this.nanoClock = nanoClock;
    this.started = nanoClock.getAsLong();
    this.lastMove = started;
  }

  Verdict after(Look look) {
    if (look.mismatches() == 0) return Verdict.SETTLED;
    long now = nanoClock.getAsLong();
    if (moved(look)) lastMove = now;
    last = look;
    if (now - started >= cap.toNanos()) return Verdict.CAPPED;
    if (now - lastMove >= quiet.toNanos()) return Verdict.QUIET;
    return Verdict.WAITING;
  }

  /** Unread records or any new processed row count as movement, as does a row that came to agree. */
  private boolean moved(Look look) {
    if (look.kafkaLag() > 0) return true;
    if (last == null) return false;
    return look.processedRows() > last.processedRows() || look.mismatches() < last.mismatches();
  }
}
