package io.janus.aggregator;

/**
 * How the DAP-18 Helper answers aggregation job requests ({@code helper_aggregation_mode}). Draft 18 section 3.1
 * lets a server answer any request at once or defer it; DAP-09 has no deferred answers, so its Helper is always
 * synchronous.
 */
public enum HelperAggregationMode {
  /** Prepare the reports while the Leader waits, and answer with the {@code AggregationJobResp}. */
  SYNCHRONOUS,
  /**
   * Store the request durably, answer at once with an empty 2xx, {@code Location} and {@code Retry-After}, and
   * prepare the reports afterwards on any aggregator replica ({@link HelperAggregationWorker}); the Leader polls the
   * job with {@code GET ?step=N} until the answer exists.
   */
  ASYNCHRONOUS
}
