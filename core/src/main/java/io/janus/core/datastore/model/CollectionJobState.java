package io.janus.core.datastore.model;

import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import java.util.Arrays;

/** The state of a collection job, with its result once finished. */
public sealed interface CollectionJobState
    permits CollectionJobState.Start, CollectionJobState.Finished, CollectionJobState.Abandoned,
        CollectionJobState.Deleted {

  /** The text stored in the {@code state} column. */
  String dbText();

  /** Waiting for the batch to be ready and the aggregate shares to be computed. */
  record Start() implements CollectionJobState {
    @Override
    public String dbText() {
      return "START";
    }
  }

  /**
   * The collection is done.
   *
   * @param reportCount number of reports in the batch
   * @param clientTimestampInterval the smallest interval holding the reports' timestamps
   * @param leaderAggregateShare the Leader's VDAF-encoded aggregate share (sealed to the collector at poll time)
   * @param helperEncryptedAggregateShare the Helper's aggregate share, sealed to the collector
   */
  record Finished(long reportCount, Interval clientTimestampInterval, byte[] leaderAggregateShare,
      HpkeCiphertext helperEncryptedAggregateShare) implements CollectionJobState {
    /** Copies the share. */
    public Finished {
      leaderAggregateShare = leaderAggregateShare.clone();
    }

    @Override
    public byte[] leaderAggregateShare() {
      return leaderAggregateShare.clone();
    }

    @Override
    public String dbText() {
      return "FINISHED";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Finished f
          && f.reportCount == reportCount
          && f.clientTimestampInterval.equals(clientTimestampInterval)
          && Arrays.equals(f.leaderAggregateShare, leaderAggregateShare)
          && f.helperEncryptedAggregateShare.equals(helperEncryptedAggregateShare);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(reportCount) * 31 + Arrays.hashCode(leaderAggregateShare);
    }

    @Override
    public String toString() {
      return "Finished[reports=" + reportCount + ", interval=" + clientTimestampInterval + "]";
    }
  }

  /** Given up after too many attempts. */
  record Abandoned() implements CollectionJobState {
    @Override
    public String dbText() {
      return "ABANDONED";
    }
  }

  /** Deleted by the collector. */
  record Deleted() implements CollectionJobState {
    @Override
    public String dbText() {
      return "DELETED";
    }
  }
}
