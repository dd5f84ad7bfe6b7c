package io.janus.server.datastore.model;

import io.janus.messages.HpkeCiphertext;
import java.util.Arrays;
import java.util.List;

/** Where one report is in its aggregation job, with the data that state needs. */
public sealed interface ReportAggregationState
    permits ReportAggregationState.Start, ReportAggregationState.WaitingLeader, ReportAggregationState.WaitingHelper,
        ReportAggregationState.Finished, ReportAggregationState.Failed {

  /** The text stored in the {@code state} column. */
  String dbText();

  /**
   * Leader: not yet sent to the Helper. Holds the report's shares, copied from the client report so that row can
   * be scrubbed.
   *
   * @param leaderExtensions the Leader's private extensions
   * @param publicShare the VDAF public share
   * @param leaderInputShare the Leader's decrypted input share payload
   * @param helperEncryptedInputShare the Helper's sealed input share
   * @param publicExtensions the report's public extensions (DAP-18), forwarded to the Helper
   */
  record Start(List<ReportExtension> leaderExtensions, byte[] publicShare, byte[] leaderInputShare,
      HpkeCiphertext helperEncryptedInputShare, List<ReportExtension> publicExtensions)
      implements ReportAggregationState {
    /** Copies the inputs. */
    public Start {
      leaderExtensions = List.copyOf(leaderExtensions);
      publicExtensions = List.copyOf(publicExtensions);
      publicShare = publicShare.clone();
      leaderInputShare = leaderInputShare.clone();
    }

    /** A report without public extensions (every DAP-09 report). */
    public Start(List<ReportExtension> leaderExtensions, byte[] publicShare, byte[] leaderInputShare,
        HpkeCiphertext helperEncryptedInputShare) {
      this(leaderExtensions, publicShare, leaderInputShare, helperEncryptedInputShare, List.of());
    }

    @Override
    public byte[] publicShare() {
      return publicShare.clone();
    }

    @Override
    public byte[] leaderInputShare() {
      return leaderInputShare.clone();
    }

    @Override
    public String dbText() {
      return "START";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Start s
          && s.leaderExtensions.equals(leaderExtensions)
          && Arrays.equals(s.publicShare, publicShare)
          && Arrays.equals(s.leaderInputShare, leaderInputShare)
          && s.helperEncryptedInputShare.equals(helperEncryptedInputShare)
          && s.publicExtensions.equals(publicExtensions);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(leaderInputShare);
    }

    @Override
    public String toString() {
      return "Start";
    }
  }

  /**
   * Leader: waiting for the Helper's next message. Holds the Leader's opaque stored preparation transition.
   *
   * @param transition the opaque, VDAF-encoded transition or preparation state
   */
  record WaitingLeader(byte[] transition) implements ReportAggregationState {
    /** Copies the transition. */
    public WaitingLeader {
      transition = transition.clone();
    }

    @Override
    public byte[] transition() {
      return transition.clone();
    }

    @Override
    public String dbText() {
      return "WAITING_LEADER";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WaitingLeader w && Arrays.equals(w.transition, transition);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(transition);
    }

    @Override
    public String toString() {
      return "WaitingLeader[" + transition.length + " bytes]";
    }
  }

  /**
   * Helper: waiting for the Leader's next message. Holds the Helper's opaque preparation state.
   *
   * @param prepareState the opaque, VDAF-encoded preparation state
   */
  record WaitingHelper(byte[] prepareState) implements ReportAggregationState {
    /** Copies the state. */
    public WaitingHelper {
      prepareState = prepareState.clone();
    }

    @Override
    public byte[] prepareState() {
      return prepareState.clone();
    }

    @Override
    public String dbText() {
      return "WAITING_HELPER";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WaitingHelper w && Arrays.equals(w.prepareState, prepareState);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(prepareState);
    }

    @Override
    public String toString() {
      return "WaitingHelper[" + prepareState.length + " bytes]";
    }
  }

  /** Preparation finished; the output share went into a batch aggregation. */
  record Finished() implements ReportAggregationState {
    @Override
    public String dbText() {
      return "FINISHED";
    }
  }

  /**
   * The report was rejected.
   *
   * @param failure why
   */
  record Failed(ReportFailure failure) implements ReportAggregationState {
    @Override
    public String dbText() {
      return "FAILED";
    }
  }
}
