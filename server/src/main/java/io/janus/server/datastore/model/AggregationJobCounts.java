package io.janus.server.datastore.model;

/**
 * Aggregation job counters of a batch, summed over its shards. The batch may be collected only when every created
 * job has terminated.
 *
 * @param created jobs created that write to the batch
 * @param terminated of those, jobs finished or abandoned
 */
public record AggregationJobCounts(long created, long terminated) {
  /** True when every created job has terminated. */
  public boolean allTerminated() {
    return created == terminated;
  }
}
