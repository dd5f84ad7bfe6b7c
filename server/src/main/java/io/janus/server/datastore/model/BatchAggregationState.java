package io.janus.server.datastore.model;

/** The state of one shard of a batch aggregation. */
public enum BatchAggregationState implements DbEnum {
  /** Still receiving output shares. */
  AGGREGATING("AGGREGATING"),
  /** The batch was collected; no more reports may join. */
  COLLECTED("COLLECTED"),
  /** Collected and its aggregate share deleted. */
  SCRUBBED("SCRUBBED");

  private final String dbText;

  BatchAggregationState(String dbText) {
    this.dbText = dbText;
  }

  @Override
  public String dbText() {
    return dbText;
  }
}
