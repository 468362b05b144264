package io.shoplake.chaos;

import io.shoplake.devstack.Outage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * When a chaos run strikes, drawn from a seed so that a run can be repeated. Kills fall anywhere
 * in the run; every other one waits for the next Delta commit and lands right after it, between
 * a table's commit and the checkpoint of the batch that made it. Outages get a slot each, in
 * a shuffled order, so that no two overlap and each is over before the run ends.
 */
public record ChaosPlan(List<Fault> faults) {
  /** What happens at {@code at} after the run's start: a kill of the pipeline JVM, or an outage. */
  public record Fault(Duration at, Kind kind, Outage outage) {
    public enum Kind { KILL, KILL_AFTER_COMMIT, OUTAGE }

    @Override
    public String toString() {
      return (kind == Kind.OUTAGE ? "outage " + outage.id() : kind.name().toLowerCase(java.util.Locale.ROOT)) + " at "
          + at.toSeconds() + "s";
    }
  }

  public ChaosPlan {
    faults = List.copyOf(faults);
  }

  /**
   * @param outageLength how long each outage keeps its service away; an outage's slot must hold
   *     it with room to spare, or the plan is refused
   */
  public static ChaosPlan draw(long seed, Duration duration, int kills, List<Outage> outages, Duration outageLength) {
    if (kills < 0) throw new IllegalArgumentException("--kills must be 0 or more, got " + kills);
    Random random = new Random(seed);
    List<Fault> faults = new ArrayList<>();
    long millis = duration.toMillis();
    for (int i = 0; i < kills; i++) {
      faults.add(new Fault(Duration.ofMillis((long) (random.nextDouble() * millis)),
          i % 2 == 0 ? Fault.Kind.KILL : Fault.Kind.KILL_AFTER_COMMIT, null));
    }
    if (!outages.isEmpty()) {
      long slot = millis / outages.size();
      // Twice the outage: the service comes back and the pipeline has time to notice before the next.
      long room = slot - 2 * outageLength.toMillis();
      if (room <= 0) {
        throw new IllegalArgumentException("a run of " + duration + " has no room for " + outages.size()
            + " outages of " + outageLength + " each: lengthen --duration or shorten --outage-length");
      }
      List<Outage> order = new ArrayList<>(outages);
      Collections.shuffle(order, random);
      for (int i = 0; i < order.size(); i++) {
        faults.add(new Fault(Duration.ofMillis(i * slot + (long) (random.nextDouble() * room)), Fault.Kind.OUTAGE,
            order.get(i)));
      }
    }
    faults.sort(Comparator.comparing(Fault::at));
    return new ChaosPlan(faults);
  }

  public long count(Fault.Kind kind) {
    return faults.stream().filter(f -> f.kind() == kind).count();
  }
}
