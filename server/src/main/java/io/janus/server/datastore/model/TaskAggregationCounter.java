package io.janus.server.datastore.model;

/**
 * Per-task aggregation outcomes, as increments to add or as totals read back.
 *
 * @param success reports aggregated
 * @param batchCollected reports rejected: batch already collected
 * @param reportReplayed reports rejected: replayed
 * @param reportDropped reports rejected: dropped
 * @param hpkeUnknownConfigId reports rejected: unknown HPKE config
 * @param hpkeDecryptFailure reports rejected: input share did not decrypt
 * @param vdafPrepFailure reports rejected: VDAF preparation failed
 * @param batchSaturated reports rejected: batch full
 * @param taskExpired reports rejected: task expired
 * @param invalidMessage reports rejected: malformed
 * @param reportTooEarly reports rejected: too early
 */
public record TaskAggregationCounter(
    long success,
    long batchCollected,
    long reportReplayed,
    long reportDropped,
    long hpkeUnknownConfigId,
    long hpkeDecryptFailure,
    long vdafPrepFailure,
    long batchSaturated,
    long taskExpired,
    long invalidMessage,
    long reportTooEarly) {

  /** All zero. */
  public static final TaskAggregationCounter ZERO = new TaskAggregationCounter(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /**
   * The increments for report aggregations an aggregation step wrote: one success per finished report, one of its
   * failure per failed report; reports still in preparation count nothing.
   */
  public static TaskAggregationCounter outcomesOf(Iterable<ReportAggregation> written) {
    TaskAggregationCounter counter = ZERO;
    for (ReportAggregation ra : written) {
      if (ra.state() instanceof ReportAggregationState.Finished) {
        counter = counter.plus(new TaskAggregationCounter(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
      } else if (ra.state() instanceof ReportAggregationState.Failed f) {
        counter = counter.plus(ofFailure(f.failure()));
      }
    }
    return counter;
  }

  /** An increment of one for the given failure. */
  public static TaskAggregationCounter ofFailure(ReportFailure f) {
    return switch (f) {
      case BATCH_COLLECTED -> new TaskAggregationCounter(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      case REPORT_REPLAYED -> new TaskAggregationCounter(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0);
      case REPORT_DROPPED -> new TaskAggregationCounter(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
      case HPKE_UNKNOWN_CONFIG_ID, OUTDATED_CONFIG -> new TaskAggregationCounter(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
      case HPKE_DECRYPT_ERROR -> new TaskAggregationCounter(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
      case VDAF_PREP_ERROR -> new TaskAggregationCounter(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
      case BATCH_SATURATED -> new TaskAggregationCounter(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0);
      case TASK_EXPIRED, TASK_NOT_STARTED -> new TaskAggregationCounter(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0);
      case INVALID_MESSAGE -> new TaskAggregationCounter(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0);
      case REPORT_TOO_EARLY -> new TaskAggregationCounter(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    };
  }

  /** The field-wise sum. */
  public TaskAggregationCounter plus(TaskAggregationCounter o) {
    return new TaskAggregationCounter(success + o.success, batchCollected + o.batchCollected,
        reportReplayed + o.reportReplayed, reportDropped + o.reportDropped,
        hpkeUnknownConfigId + o.hpkeUnknownConfigId, hpkeDecryptFailure + o.hpkeDecryptFailure,
        vdafPrepFailure + o.vdafPrepFailure, batchSaturated + o.batchSaturated, taskExpired + o.taskExpired,
        invalidMessage + o.invalidMessage, reportTooEarly + o.reportTooEarly);
  }
}
