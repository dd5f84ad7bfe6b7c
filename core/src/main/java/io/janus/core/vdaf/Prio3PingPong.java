package io.janus.core.vdaf;

import io.janus.vdaf.AggregateShare;
import io.janus.vdaf.Prio3;
import io.janus.vdaf.VdafException;
import java.util.List;
import java.util.Optional;

/**
 * {@link PingPongVdaf} over the vdaf module's Prio3, of draft-irtf-cfrg-vdaf-08 (empty context) or draft 18 (bound
 * to one application context). Prio3 prepares in one round and takes only the empty aggregation parameter, which
 * may be used once per report.
 *
 * <p>The ping-pong topology of draft 18 (section 5.7) encodes its messages exactly as draft 08 (section 5.8) does:
 * a one-byte type, then {@code initialize} with the verifier share, {@code continue} with the verifier message and
 * share, or {@code finish} with the verifier message, each {@code opaque<0..2^32-1>}. Draft 18 only threads the
 * context through every transition, which this class supplies on every call.
 */
final class Prio3PingPong implements PingPongVdaf {
  private final Prio3 prio3;
  private final byte[] ctx;

  /** Runs {@code prio3} under {@code ctx}, which must be empty for a draft-08 instance. */
  Prio3PingPong(Prio3 prio3, byte[] ctx) {
    if (ctx.length > prio3.version().maxContextLength()) {
      throw new IllegalArgumentException(prio3.version() + " takes at most " + prio3.version().maxContextLength()
          + " bytes of application context, got " + ctx.length);
    }
    this.prio3 = prio3;
    this.ctx = ctx.clone();
  }

  @Override
  public int verifyKeyLength() {
    return prio3.verifyKeyLength();
  }

  @Override
  public int randomnessLength() {
    return prio3.randLength();
  }

  @Override
  public Sharded shard(long[] measurement, byte[] nonce, byte[] randomness) {
    Prio3.Shard s = prio3.shard(ctx, measurement, nonce, randomness);
    List<byte[]> inputs = s.inputShares();
    return new Sharded(s.publicShare(), inputs.get(0), inputs.get(1));
  }

  @Override
  public void checkShares(int aggregatorId, byte[] publicShare, byte[] inputShare) throws VdafException {
    prio3.checkInputShare(aggregatorId, publicShare, inputShare);
  }

  @Override
  public boolean isValidAggregationParameter(byte[] aggregationParameter, List<byte[]> previous) {
    return aggregationParameter.length == 0 && previous.isEmpty();
  }

  @Override
  public LeaderStart leaderInitialized(byte[] verifyKey, byte[] aggregationParameter, byte[] nonce,
      byte[] publicShare, byte[] inputShare) throws VdafException {
    requireEmpty(aggregationParameter);
    Prio3.LeaderInitialized l = prio3.leaderInitialized(verifyKey, ctx, nonce, publicShare, inputShare);
    return new LeaderStart(l.prepState(), l.message());
  }

  @Override
  public Transition helperInitialized(byte[] verifyKey, byte[] aggregationParameter, byte[] nonce,
      byte[] publicShare, byte[] inputShare, byte[] inbound) throws VdafException {
    requireEmpty(aggregationParameter);
    Prio3.HelperInitialized h = prio3.helperInitialized(verifyKey, ctx, nonce, publicShare, inputShare, inbound);
    return new Finished(h.outputShare().encode(), Optional.of(h.message()));
  }

  @Override
  public Transition leaderContinued(byte[] aggregationParameter, byte[] state, byte[] inbound)
      throws VdafException {
    requireEmpty(aggregationParameter);
    return new Finished(prio3.leaderContinued(state, inbound).encode(), Optional.empty());
  }

  /** Prio3's Helper finishes in its first step, so any continuation is a protocol error for that report. */
  @Override
  public Transition helperContinued(byte[] aggregationParameter, byte[] state, byte[] inbound)
      throws VdafException {
    throw new VdafException("Prio3 prepares in one round; the Helper has nothing to continue");
  }

  @Override
  public byte[] emptyAggregateShare(byte[] aggregationParameter) {
    return prio3.aggregateShare().encode();
  }

  @Override
  public byte[] accumulate(byte[] aggregationParameter, byte[] aggregateShare, byte[] outputShare)
      throws VdafException {
    AggregateShare a = prio3.decodeAggregateShare(aggregateShare);
    a.add(prio3.decodeOutputShare(outputShare));
    return a.encode();
  }

  @Override
  public Accumulator accumulator(byte[] aggregationParameter) {
    AggregateShare sum = prio3.aggregateShare();
    return new Accumulator() {
      @Override
      public void addOutputShare(byte[] outputShare) throws VdafException {
        sum.add(prio3.decodeOutputShare(outputShare));
      }

      @Override
      public void mergeAggregateShare(byte[] aggregateShare) throws VdafException {
        sum.merge(prio3.decodeAggregateShare(aggregateShare));
      }

      @Override
      public byte[] encode() {
        return sum.encode();
      }
    };
  }

  @Override
  public byte[] merge(byte[] aggregationParameter, byte[] left, byte[] right) throws VdafException {
    AggregateShare a = prio3.decodeAggregateShare(left);
    a.merge(prio3.decodeAggregateShare(right));
    return a.encode();
  }

  @Override
  public long[] unshard(byte[] aggregationParameter, List<byte[]> aggregateShares, long reportCount)
      throws VdafException {
    requireEmpty(aggregationParameter);
    return prio3.unshard(aggregateShares, reportCount);
  }

  private static void requireEmpty(byte[] aggregationParameter) throws VdafException {
    if (aggregationParameter.length != 0) {
      throw new VdafException("Prio3 takes the empty aggregation parameter");
    }
  }

  @Override
  public String toString() {
    return "Prio3PingPong[" + prio3 + "]";
  }
}
