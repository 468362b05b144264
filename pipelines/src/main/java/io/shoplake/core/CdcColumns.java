package io.shoplake.core;

/** Bookkeeping columns that decoded changes and silver tables carry next to the source columns. */
public final class CdcColumns {
  public static final String OP = "_op";
  /** Source order: PostgreSQL log sequence number of the change. */
  public static final String LSN = "_lsn";
  public static final String TX_ID = "_tx_id";
  /** Commit time in the source database. */
  public static final String SOURCE_TS = "_source_ts";
  public static final String SNAPSHOT = "_snapshot";
  /** A deleted key stays as a tombstone so that an older late change cannot resurrect it. */
  public static final String IS_DELETED = "_is_deleted";
  public static final String APPLIED_AT = "_applied_at";

  private CdcColumns() {}
}
