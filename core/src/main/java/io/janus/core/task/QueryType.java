package io.janus.core.task;

import io.janus.messages.DapDuration;
import java.util.Optional;
import java.util.OptionalLong;

/** How a task's reports are grouped into batches: by time interval, or into Leader-chosen fixed-size batches. */
public sealed interface QueryType permits QueryType.TimeInterval, QueryType.FixedSize {
  /** The name stored in the {@code tasks.query_type} column. */
  String dbName();

  /** Batches are time intervals chosen by the collector. */
  record TimeInterval() implements QueryType {
    @Override
    public String dbName() {
      return "TIME_INTERVAL";
    }
  }

  /**
   * Batches are filled by the Leader and named by a batch ID.
   *
   * @param maxBatchSize the most reports a batch may hold, if limited
   * @param batchTimeWindowSize if present, reports are bucketed by time into windows of this size before batching
   */
  record FixedSize(OptionalLong maxBatchSize, Optional<DapDuration> batchTimeWindowSize) implements QueryType {
    /** Validates that the sizes are positive. */
    public FixedSize {
      if (maxBatchSize.isPresent() && maxBatchSize.getAsLong() <= 0) {
        throw new IllegalArgumentException("max_batch_size must be positive: " + maxBatchSize.getAsLong());
      }
      if (batchTimeWindowSize.isPresent() && batchTimeWindowSize.get().seconds() <= 0) {
        throw new IllegalArgumentException("batch_time_window_size must be positive");
      }
    }

    @Override
    public String dbName() {
      return "FIXED_SIZE";
    }
  }
}
