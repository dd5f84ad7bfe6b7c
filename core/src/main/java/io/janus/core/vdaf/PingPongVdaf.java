package io.janus.core.vdaf;

import io.janus.vdaf.VdafException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured VDAF, driven through the ping-pong topology (draft-irtf-cfrg-vdaf-08 section 5.8) on encoded
 * values, so that the aggregator and the job drivers never see field elements or VDAF-specific types. Obtain one
 * with {@link VdafDispatch#forInstance}.
 *
 * <p>Every value crossing this interface is the VDAF's wire encoding: public and input shares, ping-pong messages,
 * the opaque per-report state an aggregator stores between steps, output shares and aggregate shares.
 * Implementations are immutable and thread-safe.
 *
 * <p>Failures that concern one report (a malformed share or message, a failed proof) are the checked
 * {@link VdafException}: the caller rejects that report and goes on. Unchecked exceptions mean a bug or a
 * corrupted store.
 */
public interface PingPongVdaf {
  /** Length in bytes of the VDAF verification key. */
  int verifyKeyLength();

  /** Length in bytes of the randomness {@link #shard} consumes. */
  int randomnessLength();

  /**
   * Splits a measurement into a public share and one input share per aggregator (Leader first), for clients and
   * tests.
   *
   * @param measurement the measurement: one element for scalar VDAFs (Count: 0 or 1; Sum: the value; Histogram:
   *     the bucket index), one per entry for vector VDAFs
   * @param nonce the report ID (16 bytes)
   * @param randomness {@link #randomnessLength()} random bytes
   * @throws IllegalArgumentException if the measurement is out of range for the VDAF's parameters
   */
  Sharded shard(long[] measurement, byte[] nonce, byte[] randomness);

  /**
   * Checks that {@code publicShare} and the input share of aggregator {@code aggregatorId} decode, without
   * preparing: strict lengths and canonical encodings only, so it is cheap enough for the upload path. A report
   * that passes may still fail preparation.
   *
   * @param aggregatorId 0 for the Leader, 1 for the Helper
   * @throws VdafException if either does not decode
   */
  void checkShares(int aggregatorId, byte[] publicShare, byte[] inputShare) throws VdafException;

  /**
   * Checks that {@code aggregationParameter} decodes and may be used after {@code previous} on the same reports
   * (VDAF {@code is_valid}); Prio3 takes only the empty parameter, once.
   */
  boolean isValidAggregationParameter(byte[] aggregationParameter, List<byte[]> previous);

  /**
   * The Leader's first step: {@code ping_pong_leader_init}.
   *
   * @return the Leader's state and its first message
   * @throws VdafException if a share does not decode
   */
  LeaderStart leaderInitialized(byte[] verifyKey, byte[] aggregationParameter, byte[] nonce, byte[] publicShare,
      byte[] inputShare) throws VdafException;

  /**
   * The Helper's first step: {@code ping_pong_helper_init}, given the Leader's first message.
   *
   * @throws VdafException if a share or the message does not decode, or preparation fails
   */
  Transition helperInitialized(byte[] verifyKey, byte[] aggregationParameter, byte[] nonce, byte[] publicShare,
      byte[] inputShare, byte[] inbound) throws VdafException;

  /**
   * The Leader's next step: {@code ping_pong_leader_continued}.
   *
   * @param state the state the Leader stored after its previous step
   * @throws VdafException if the message or state does not decode, or preparation fails
   */
  Transition leaderContinued(byte[] aggregationParameter, byte[] state, byte[] inbound) throws VdafException;

  /**
   * The Helper's next step: {@code ping_pong_helper_continued}.
   *
   * @param state the state the Helper stored after its previous step
   * @throws VdafException if the message or state does not decode, or preparation fails
   */
  Transition helperContinued(byte[] aggregationParameter, byte[] state, byte[] inbound) throws VdafException;

  /** The aggregate share of no reports. */
  byte[] emptyAggregateShare(byte[] aggregationParameter);

  /**
   * Adds one output share to an aggregate share.
   *
   * @throws VdafException if either does not decode
   */
  byte[] accumulate(byte[] aggregationParameter, byte[] aggregateShare, byte[] outputShare) throws VdafException;

  /**
   * A running aggregate share. It stays decoded, so adding an output share neither decodes nor re-encodes the sum;
   * only {@link #encode} does. Not thread-safe.
   */
  interface Accumulator {
    /** Adds one output share. @throws VdafException if it does not decode */
    void addOutputShare(byte[] outputShare) throws VdafException;

    /** Adds an aggregate share of other reports. @throws VdafException if it does not decode */
    void mergeAggregateShare(byte[] aggregateShare) throws VdafException;

    /** The encoded aggregate share of everything added so far. */
    byte[] encode();
  }

  /**
   * An accumulator holding the aggregate share of no reports. The default goes through {@link #accumulate} and
   * {@link #merge}; implementations with a decoded share type override it.
   */
  default Accumulator accumulator(byte[] aggregationParameter) {
    return new Accumulator() {
      private byte[] sum = emptyAggregateShare(aggregationParameter);

      @Override
      public void addOutputShare(byte[] outputShare) throws VdafException {
        sum = accumulate(aggregationParameter, sum, outputShare);
      }

      @Override
      public void mergeAggregateShare(byte[] aggregateShare) throws VdafException {
        sum = merge(aggregationParameter, sum, aggregateShare);
      }

      @Override
      public byte[] encode() {
        return sum.clone();
      }
    };
  }

  /**
   * Merges two aggregate shares of disjoint report sets (shards of one batch).
   *
   * @throws VdafException if either does not decode
   */
  byte[] merge(byte[] aggregationParameter, byte[] left, byte[] right) throws VdafException;

  /**
   * Combines the aggregators' aggregate shares into the aggregate result.
   *
   * @param aggregateShares the Leader's share, then the Helper's
   * @param reportCount how many reports were aggregated
   * @return the result: one element for scalar VDAFs, one per entry for vector VDAFs
   * @throws VdafException if a share does not decode
   */
  long[] unshard(byte[] aggregationParameter, List<byte[]> aggregateShares, long reportCount) throws VdafException;

  /**
   * A sharded measurement.
   *
   * @param publicShare the public share
   * @param leaderInputShare the Leader's input share
   * @param helperInputShare the Helper's input share
   */
  record Sharded(byte[] publicShare, byte[] leaderInputShare, byte[] helperInputShare) {
    /** Copies the arrays. */
    public Sharded {
      publicShare = publicShare.clone();
      leaderInputShare = leaderInputShare.clone();
      helperInputShare = helperInputShare.clone();
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
    public byte[] helperInputShare() {
      return helperInputShare.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sharded s && Arrays.equals(s.publicShare, publicShare)
          && Arrays.equals(s.leaderInputShare, leaderInputShare) && Arrays.equals(s.helperInputShare, helperInputShare);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(publicShare), Arrays.hashCode(leaderInputShare),
          Arrays.hashCode(helperInputShare));
    }

    @Override
    public String toString() {
      return "Sharded[<redacted>]";
    }
  }

  /**
   * The Leader's state and first message after {@link #leaderInitialized}.
   *
   * @param state the state to store until the Helper answers
   * @param outbound the message to send in the aggregation job's init request
   */
  record LeaderStart(byte[] state, byte[] outbound) {
    /** Copies the arrays. */
    public LeaderStart {
      state = state.clone();
      outbound = outbound.clone();
    }

    @Override
    public byte[] state() {
      return state.clone();
    }

    @Override
    public byte[] outbound() {
      return outbound.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LeaderStart s && Arrays.equals(s.state, state) && Arrays.equals(s.outbound, outbound);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(state) * 31 + Arrays.hashCode(outbound);
    }

    @Override
    public String toString() {
      return "LeaderStart[<redacted>]";
    }
  }

  /** Where one aggregator stands after a step. */
  sealed interface Transition {
    /** The message to send to the peer, if the step produced one. */
    Optional<byte[]> outbound();
  }

  /**
   * Preparation goes on: store {@code state} and send {@code message}.
   *
   * @param state the opaque state to store for the next step
   * @param message the message for the peer
   */
  record Continued(byte[] state, byte[] message) implements Transition {
    /** Copies the arrays. */
    public Continued {
      state = state.clone();
      message = message.clone();
    }

    @Override
    public byte[] state() {
      return state.clone();
    }

    @Override
    public byte[] message() {
      return message.clone();
    }

    @Override
    public Optional<byte[]> outbound() {
      return Optional.of(message.clone());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Continued c && Arrays.equals(c.state, state) && Arrays.equals(c.message, message);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(state) * 31 + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
      return "Continued[<redacted>]";
    }
  }

  /**
   * Preparation is done: here is the output share, and possibly a last message for the peer.
   *
   * @param outputShare the encoded output share
   * @param finalMessage the message that lets the peer finish too, if any
   */
  record Finished(byte[] outputShare, Optional<byte[]> finalMessage) implements Transition {
    /** Copies the arrays. */
    public Finished {
      outputShare = outputShare.clone();
      finalMessage = finalMessage.map(byte[]::clone);
    }

    @Override
    public byte[] outputShare() {
      return outputShare.clone();
    }

    @Override
    public Optional<byte[]> finalMessage() {
      return finalMessage.map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> outbound() {
      return finalMessage();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Finished f && Arrays.equals(f.outputShare, outputShare)
          && f.finalMessage.isPresent() == finalMessage.isPresent()
          && (finalMessage.isEmpty() || Arrays.equals(f.finalMessage.get(), finalMessage.get()));
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(outputShare);
    }

    @Override
    public String toString() {
      return "Finished[<redacted>]";
    }
  }
}
