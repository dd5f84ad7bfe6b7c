package io.janus.aggregator;

import io.janus.server.datastore.model.TaskUploadCounter;

/** What became of one upload; each outcome bumps one column of the per-task upload counters. */
enum UploadOutcome {
  /** The report was stored, or was a duplicate of a stored report. */
  SUCCESS,
  /** The report's batch was already collected. */
  INTERVAL_COLLECTED,
  /** The decrypted input share, its extensions or the VDAF shares did not decode. */
  DECODE_FAILURE,
  /** The input share did not decrypt. */
  DECRYPT_FAILURE,
  /** The report is older than the task's report expiry age. */
  EXPIRED,
  /** The report was sealed to an unknown HPKE config. */
  OUTDATED_KEY,
  /** The report's timestamp is too far in the future. */
  TOO_EARLY,
  /** The report's timestamp is past the task's expiration. */
  TASK_EXPIRED;

  /** A counter delta of one for this outcome. */
  TaskUploadCounter counter() {
    return switch (this) {
      case INTERVAL_COLLECTED -> new TaskUploadCounter(1, 0, 0, 0, 0, 0, 0, 0);
      case DECODE_FAILURE -> new TaskUploadCounter(0, 1, 0, 0, 0, 0, 0, 0);
      case DECRYPT_FAILURE -> new TaskUploadCounter(0, 0, 1, 0, 0, 0, 0, 0);
      case EXPIRED -> new TaskUploadCounter(0, 0, 0, 1, 0, 0, 0, 0);
      case OUTDATED_KEY -> new TaskUploadCounter(0, 0, 0, 0, 1, 0, 0, 0);
      case SUCCESS -> new TaskUploadCounter(0, 0, 0, 0, 0, 1, 0, 0);
      case TOO_EARLY -> new TaskUploadCounter(0, 0, 0, 0, 0, 0, 1, 0);
      case TASK_EXPIRED -> new TaskUploadCounter(0, 0, 0, 0, 0, 0, 0, 1);
    };
  }
}
