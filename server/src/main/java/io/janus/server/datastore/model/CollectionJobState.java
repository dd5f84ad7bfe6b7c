package io.janus.server.datastore.model;

import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import java.util.Arrays;

/** The state of a collection job, with its result once finished. */
public sealed interface CollectionJobState
    permits CollectionJobState.Start, CollectionJobState.Collecting, CollectionJobState.Finished,
        CollectionJobState.Failed, CollectionJobState.Abandoned, CollectionJobState.Deleted {

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
   * The batch was found ready and the Leader's aggregate is frozen: its shards are collected, and every retry asks
   * the Helper to match exactly this count and checksum. Waiting for the Helper's aggregate share.
   *
   * @param reportCount number of reports the Leader aggregated in the batch
   * @param clientTimestampInterval the smallest interval holding the reports' timestamps
   * @param leaderAggregateShare the Leader's VDAF-encoded aggregate share
   * @param checksum XOR of SHA-256 of the reports' IDs (32 bytes)
   */
  record Collecting(long reportCount, Interval clientTimestampInterval, byte[] leaderAggregateShare,
      byte[] checksum) implements CollectionJobState {
    /** Copies the arrays. */
    public Collecting {
      leaderAggregateShare = leaderAggregateShare.clone();
      checksum = checksum.clone();
    }

    @Override
    public byte[] leaderAggregateShare() {
      return leaderAggregateShare.clone();
    }

    @Override
    public byte[] checksum() {
      return checksum.clone();
    }

    /** The finished state once the Helper's share arrived. */
    public Finished finishedWith(HpkeCiphertext helperEncryptedAggregateShare) {
      return new Finished(reportCount, clientTimestampInterval, leaderAggregateShare, helperEncryptedAggregateShare);
    }

    @Override
    public String dbText() {
      return "COLLECTING";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Collecting c
          && c.reportCount == reportCount
          && c.clientTimestampInterval.equals(clientTimestampInterval)
          && Arrays.equals(c.leaderAggregateShare, leaderAggregateShare)
          && Arrays.equals(c.checksum, checksum);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(reportCount) * 31 + Arrays.hashCode(checksum);
    }

    @Override
    public String toString() {
      return "Collecting[reports=" + reportCount + ", interval=" + clientTimestampInterval + "]";
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

  /**
   * The Helper refused the aggregate share with a DAP problem that retrying cannot fix; polls answer with it.
   *
   * @param problemType the DAP problem type's name, for example {@code batchMismatch}
   * @param detail what happened, for the Collector and the operator
   */
  record Failed(String problemType, String detail) implements CollectionJobState {
    @Override
    public String dbText() {
      return "FAILED";
    }
  }

  /**
   * Given up after too many attempts.
   *
   * @param reason the last failure, for the Collector and the operator (empty if none was recorded)
   */
  record Abandoned(String reason) implements CollectionJobState {
    /** Abandoned with no recorded reason. */
    public Abandoned() {
      this("");
    }

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
