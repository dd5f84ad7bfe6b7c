package io.janus.aggregator;

import io.janus.messages.BatchId;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import java.util.Objects;
import java.util.Optional;

/** What a poll of a collection job finds, version-neutral. */
public sealed interface CollectionJobStatus {
  /**
   * The job is not finished yet; poll again later.
   *
   * @param retryAfterSeconds when to poll again (the {@code Retry-After} of the answer)
   */
  record Pending(long retryAfterSeconds) implements CollectionJobStatus {}

  /** The Collector deleted the job. */
  record Deleted() implements CollectionJobStatus {}

  /**
   * The job finished: both aggregate shares, sealed to the Collector.
   *
   * @param batchId the fixed-size batch collected; empty for time-interval tasks
   * @param reportCount how many reports the batch holds
   * @param interval the smallest time-precision-aligned interval holding every report's timestamp
   * @param leaderEncryptedAggregateShare the Leader's aggregate share
   * @param helperEncryptedAggregateShare the Helper's aggregate share
   */
  record Finished(
      Optional<BatchId> batchId,
      long reportCount,
      Interval interval,
      HpkeCiphertext leaderEncryptedAggregateShare,
      HpkeCiphertext helperEncryptedAggregateShare)
      implements CollectionJobStatus {
    /** Rejects nulls. */
    public Finished {
      Objects.requireNonNull(batchId, "batchId");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(leaderEncryptedAggregateShare, "leaderEncryptedAggregateShare");
      Objects.requireNonNull(helperEncryptedAggregateShare, "helperEncryptedAggregateShare");
    }
  }
}
