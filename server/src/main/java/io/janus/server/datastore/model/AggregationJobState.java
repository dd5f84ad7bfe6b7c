package io.janus.server.datastore.model;

/** The state of an aggregation job. */
public enum AggregationJobState implements DbEnum {
  /** Still has reports to prepare. */
  IN_PROGRESS("IN_PROGRESS"),
  /** Every report is finished or failed. */
  FINISHED("FINISHED"),
  /** Given up after too many attempts. */
  ABANDONED("ABANDONED"),
  /** Deleted by the Leader (Helper side) or by an operator. */
  DELETED("DELETED");

  private final String dbText;

  AggregationJobState(String dbText) {
    this.dbText = dbText;
  }

  @Override
  public String dbText() {
    return dbText;
  }
}
