package io.janus.server.datastore.model;

/**
 * Per-task upload outcomes, as increments to add or as totals read back.
 *
 * @param intervalCollected reports rejected because their batch was collected
 * @param reportDecodeFailure reports that did not decode
 * @param reportDecryptFailure reports whose Leader share did not decrypt
 * @param reportExpired reports older than the task's report expiry age
 * @param reportOutdatedKey reports sealed to an unknown or old HPKE key
 * @param reportSuccess reports accepted
 * @param reportTooEarly reports too far in the future
 * @param taskExpired reports rejected because the task had expired
 */
public record TaskUploadCounter(
    long intervalCollected,
    long reportDecodeFailure,
    long reportDecryptFailure,
    long reportExpired,
    long reportOutdatedKey,
    long reportSuccess,
    long reportTooEarly,
    long taskExpired) {

  /** All zero. */
  public static final TaskUploadCounter ZERO = new TaskUploadCounter(0, 0, 0, 0, 0, 0, 0, 0);

  /** The field-wise sum. */
  public TaskUploadCounter plus(TaskUploadCounter o) {
    return new TaskUploadCounter(intervalCollected + o.intervalCollected,
        reportDecodeFailure + o.reportDecodeFailure, reportDecryptFailure + o.reportDecryptFailure,
        reportExpired + o.reportExpired, reportOutdatedKey + o.reportOutdatedKey, reportSuccess + o.reportSuccess,
        reportTooEarly + o.reportTooEarly, taskExpired + o.taskExpired);
  }
}
