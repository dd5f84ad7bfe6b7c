package io.janus.server.datastore.model;

/** Whether a fixed-size batch still takes reports. */
public enum OutstandingBatchState implements DbEnum {
  /** More reports may be assigned. */
  FILLING("FILLING"),
  /** Reached its target size. */
  FILLED("FILLED");

  private final String dbText;

  OutstandingBatchState(String dbText) {
    this.dbText = dbText;
  }

  @Override
  public String dbText() {
    return dbText;
  }
}
