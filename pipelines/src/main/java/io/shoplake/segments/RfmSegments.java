package io.shoplake.segments;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * RFM scores (1–5 each) to a named segment. The first rule that matches wins; every score
 * combination matches one rule (the last one catches the rest).
 *
 * <pre>
 * segment             recency  frequency  monetary
 * champions           4–5      4–5        4–5
 * loyal               3–5      3–5        any
 * new                 4–5      1          any
 * potential_loyalist  3–5      1–2        any
 * cant_lose           1        4–5        any
 * cant_lose           1        any        5
 * at_risk             1–2      3–5        any
 * hibernating         2        1–2        any
 * lost                1        1–2        any     (everything else)
 * </pre>
 */
public final class RfmSegments {
  /** Inclusive score bounds of one rule. */
  public record Rule(String segment, int rMin, int rMax, int fMin, int fMax, int mMin, int mMax) {
    boolean matches(int r, int f, int m) {
      return r >= rMin && r <= rMax && f >= fMin && f <= fMax && m >= mMin && m <= mMax;
    }

    Column matches(Column r, Column f, Column m) {
      return r.between(rMin, rMax).and(f.between(fMin, fMax)).and(m.between(mMin, mMax));
    }
  }

  public static final List<Rule> RULES = List.of(
      new Rule("champions", 4, 5, 4, 5, 4, 5),
      new Rule("loyal", 3, 5, 3, 5, 1, 5),
      new Rule("new", 4, 5, 1, 1, 1, 5),
      new Rule("potential_loyalist", 3, 5, 1, 2, 1, 5),
      new Rule("cant_lose", 1, 1, 4, 5, 1, 5),
      new Rule("cant_lose", 1, 1, 1, 5, 5, 5),
      new Rule("at_risk", 1, 2, 3, 5, 1, 5),
      new Rule("hibernating", 2, 2, 1, 2, 1, 5),
      new Rule("lost", 1, 5, 1, 5, 1, 5));

  private RfmSegments() {}

  public static String of(int r, int f, int m) {
    return RULES.stream().filter(rule -> rule.matches(r, f, m)).findFirst().orElseThrow().segment();
  }

  /** The same table as a Spark expression, so the job and {@link #of} cannot disagree. */
  public static Column of(Column r, Column f, Column m) {
    Column segment = lit(RULES.get(RULES.size() - 1).segment());
    for (int i = RULES.size() - 2; i >= 0; i--) {
      segment = when(RULES.get(i).matches(r, f, m), lit(RULES.get(i).segment())).otherwise(segment);
    }
    return segment;
  }
}
