package io.shoplake.quality;

/** Why a record was quarantined: the {@code error_class} of {@code quality.quarantine}, one name per cause. */
public final class ErrorClass {
  /** Not JSON (a bronze value, an order event or a click). */
  public static final String MALFORMED_JSON = "MALFORMED_JSON";
  /**
   * A Kafka record larger than {@code shoplake.sources.max-record-bytes}: kept whole here, so one
   * oversized record costs one quarantine row instead of every batch and table it would pass through.
   */
  public static final String TOO_LARGE = "TOO_LARGE";
  /** A Kafka value that is not UTF-8 text. */
  public static final String NOT_UTF8 = "NOT_UTF8";
  /** JSON, but not a Debezium change envelope. */
  public static final String MALFORMED_ENVELOPE = "MALFORMED_ENVELOPE";
  /** A change whose op is none of c, u, d, r. */
  public static final String UNKNOWN_OP = "UNKNOWN_OP";
  /**
   * A TRUNCATE of the source table (op t): silver keeps the rows the source emptied until the
   * table is snapshotted again, so the change is kept here with that instruction, not dropped.
   */
  public static final String TRUNCATE_NOT_APPLIED = "TRUNCATE_NOT_APPLIED";
  /** A change without the row image its op needs (after for c/u/r, before or key for d). */
  public static final String MISSING_IMAGE = "MISSING_IMAGE";
  /** A change without a source LSN: it could not be ordered. */
  public static final String MISSING_LSN = "MISSING_LSN";
  /**
   * A change the source committed after the change silver (or the same batch) holds for its row,
   * under a lower LSN: the database went back, restored from a backup or failed over to a replica
   * that was behind, and silver holds changes it no longer has. Kept here, not applied over them nor
   * counted stale; the table needs a resync.
   */
  public static final String SOURCE_REWOUND = "SOURCE_REWOUND";
  /** A change or event without its key. */
  public static final String NULL_KEY = "NULL_KEY";
  /** A value the declared column type cannot read, or a click field of the wrong JSON type. */
  public static final String WRONG_TYPE = "WRONG_TYPE";
  /** A source value silver's column cannot hold without loss (a narrowed or changed type). */
  public static final String INCOMPATIBLE_TYPE = "INCOMPATIBLE_TYPE";
  /**
   * A change carrying a value in a column the source gained whose name Delta cannot store (a space
   * or one of {@code ,;{}()=}, a newline or a tab): silver cannot add the column, and applying the
   * change without it would drop the value.
   */
  public static final String UNSTORABLE_COLUMN = "UNSTORABLE_COLUMN";
  /** A row failing an expectation whose action is drop. */
  public static final String EXPECTATION_FAILED = "EXPECTATION_FAILED";
  /** A required field missing (an order event, a click). */
  public static final String MISSING_FIELD = "MISSING_FIELD";
  /** An order event of a type Shoplake does not know. */
  public static final String UNKNOWN_EVENT_TYPE = "UNKNOWN_EVENT_TYPE";
  /** A click whose ts does not parse. */
  public static final String BAD_TIMESTAMP = "BAD_TIMESTAMP";
  /** A click field outside its contract's allowed values. */
  public static final String INVALID_VALUE = "INVALID_VALUE";
  /** A click that reached Kafka later than the allowed lateness after its ts. */
  public static final String LATE_EVENT = "LATE_EVENT";
  /** A click whose ts is further ahead of its arrival than the allowed clock skew. */
  public static final String FUTURE_EVENT = "FUTURE_EVENT";
  /** A click whose event id was seen before with other content: a second event under one id, not a resend. */
  public static final String EVENT_ID_CONFLICT = "EVENT_ID_CONFLICT";
  /** A click of a session sending more events per minute than a person can. */
  public static final String BOT_SUSPECTED = "BOT_SUSPECTED";

  private ErrorClass() {}
}
