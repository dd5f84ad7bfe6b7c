package io.janus.server.datastore.model;

/** Which kind of query created a collection job. */
public enum CollectionQueryKind implements DbEnum {
  /** A time interval (time-interval tasks). */
  TIME_INTERVAL("TIME_INTERVAL"),
  /** A named fixed-size batch. */
  BY_BATCH_ID("BY_BATCH_ID"),
  /** The next ready fixed-size batch, chosen by the Leader. */
  CURRENT_BATCH("CURRENT_BATCH");

  private final String dbText;

  CollectionQueryKind(String dbText) {
    this.dbText = dbText;
  }

  @Override
  public String dbText() {
    return dbText;
  }
}
