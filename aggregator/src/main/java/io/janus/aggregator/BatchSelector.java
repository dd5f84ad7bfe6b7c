package io.janus.aggregator;

import io.janus.messages.BatchId;
import io.janus.messages.Interval;
import java.util.Objects;

/** Names one batch: a time interval for time-interval tasks, a batch ID for fixed-size tasks. */
public sealed interface BatchSelector {
  /**
   * A time-interval batch.
   *
   * @param interval the batch interval, aligned to the task's time precision
   */
  record TimeInterval(Interval interval) implements BatchSelector {
    /** Rejects a null interval. */
    public TimeInterval {
      Objects.requireNonNull(interval, "interval");
    }
  }

  /**
   * A fixed-size batch.
   *
   * @param batchId the Leader-chosen batch ID
   */
  record FixedSize(BatchId batchId) implements BatchSelector {
    /** Rejects a null batch ID. */
    public FixedSize {
      Objects.requireNonNull(batchId, "batchId");
    }
  }
}
