package io.shoplake.core;

import java.util.Objects;

/**
 * How a customer's erasure ({@code shoplake privacy forget}) treats a table that holds customers:
 * rows that are the customer's own (their profile, their segments) go; rows that only name them
 * (an order, a click) stay for the shop's figures with the customer column cleared.
 */
public record Erasure(Action action, String column) {
  /** The column every table names a customer by (the shop's key, docs/contracts.md). */
  public static final String CUSTOMER = "customer_id";

  public enum Action {
    DELETE_ROWS,
    CLEAR_COLUMN
  }

  public Erasure {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(column, "column");
  }

  /** Rows whose {@code customer_id} is the customer's are deleted. */
  public static Erasure deleteRows() {
    return new Erasure(Action.DELETE_ROWS, CUSTOMER);
  }

  /** Rows whose {@code customer_id} is the customer's keep everything but it, which becomes null. */
  public static Erasure clearColumn() {
    return new Erasure(Action.CLEAR_COLUMN, CUSTOMER);
  }
}
