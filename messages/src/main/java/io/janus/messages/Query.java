package io.janus.messages;

import java.util.Objects;

/**
 * A Collector's query, independent of any DAP draft: which batch a collection job should aggregate. Each draft's
 * codec converts it to and from its wire form (for DAP-09, {@link io.janus.messages.dap09.Query#of} and
 * {@link io.janus.messages.dap09.Query#toNeutral}).
 */
public sealed interface Query {
  /**
   * A time-interval query.
   *
   * @param batchInterval the requested batch interval
   */
  record TimeInterval(Interval batchInterval) implements Query {
    /** Rejects a null interval. */
    public TimeInterval {
      Objects.requireNonNull(batchInterval, "batchInterval");
    }
  }

  /**
   * A fixed-size query naming a batch that an earlier collection returned.
   *
   * @param batchId the batch
   */
  record FixedSizeByBatchId(BatchId batchId) implements Query {
    /** Rejects a null batch ID. */
    public FixedSizeByBatchId {
      Objects.requireNonNull(batchId, "batchId");
    }
  }

  /** A fixed-size query asking for the next batch the Leader has filled. */
  record FixedSizeCurrentBatch() implements Query {}

  /** True for the fixed-size query kinds. */
  default boolean isFixedSize() {
    return !(this instanceof TimeInterval);
  }
}
