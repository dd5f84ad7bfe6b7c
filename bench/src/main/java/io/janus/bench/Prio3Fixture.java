package io.janus.bench;

import io.janus.vdaf.AggregateShare;
import io.janus.vdaf.OutputShare;
import io.janus.vdaf.Prio3;
import io.janus.vdaf.VdafException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-computed inputs for every step of one Prio3 report's life, so each benchmark times exactly one step.
 *
 * <p>Fields are plain arrays, read without copying: the benchmarks pass them straight to {@link Prio3}, which
 * never writes into its arguments. All randomness comes from a {@link SplittableRandom} seeded by the caller.
 */
final class Prio3Fixture {
  final Prio3 vdaf;
  /** The application context of every step (empty for draft 08). */
  final byte[] ctx;
  final long[] measurement;
  final byte[] nonce;
  final byte[] rand;
  final byte[] verifyKey;
  final byte[] publicShare;
  final byte[] leaderInputShare;
  final byte[] helperInputShare;
  /** The Leader's prep share (prep_init as aggregator 0). */
  final byte[] leaderPrepShare;
  /** The Helper's prep share (prep_init as aggregator 1). */
  final byte[] helperPrepShare;
  /** The Leader's stored prep state after its ping-pong initialization. */
  final byte[] leaderPrepState;
  /** The Leader's ping-pong {@code initialize} message. */
  final byte[] leaderMessage;
  /** The Helper's ping-pong {@code finish} message. */
  final byte[] helperMessage;

  private Prio3Fixture(Prio3Variant variant, long seed) throws VdafException {
    SplittableRandom random = new SplittableRandom(seed);
    vdaf = variant.vdaf();
    ctx = variant.context();
    measurement = variant.measurement();
    nonce = bytes(random, vdaf.nonceLength());
    rand = bytes(random, vdaf.randLength());
    verifyKey = bytes(random, vdaf.verifyKeyLength());
    Prio3.Shard shard = vdaf.shard(ctx, measurement, nonce, rand);
    publicShare = shard.publicShare();
    leaderInputShare = shard.inputShares().get(0);
    helperInputShare = shard.inputShares().get(1);
    leaderPrepShare = vdaf.prepInit(verifyKey, ctx, 0, nonce, publicShare, leaderInputShare).prepShare();
    helperPrepShare = vdaf.prepInit(verifyKey, ctx, 1, nonce, publicShare, helperInputShare).prepShare();
    Prio3.LeaderInitialized leader =
        vdaf.leaderInitialized(verifyKey, ctx, nonce, publicShare, leaderInputShare);
    leaderPrepState = leader.prepState();
    leaderMessage = leader.message();
    helperMessage =
        vdaf.helperInitialized(verifyKey, ctx, nonce, publicShare, helperInputShare, leaderMessage).message();
  }

  /**
   * Shards {@code variant}'s measurement and runs preparation once on both sides to produce every intermediate.
   *
   * @throws VdafException if the VDAF rejects its own honest report (a bug in the VDAF)
   */
  static Prio3Fixture create(Prio3Variant variant, long seed) throws VdafException {
    return new Prio3Fixture(variant, seed);
  }

  /**
   * Finishes both sides of the ping-pong from the stored intermediates and unshards the single report, so a
   * test can check that what the benchmarks feed each step is a valid report.
   *
   * @throws VdafException if preparation rejects the report
   */
  long[] aggregateOnce() throws VdafException {
    OutputShare leaderOut = vdaf.leaderContinued(leaderPrepState, helperMessage);
    OutputShare helperOut =
        vdaf.helperInitialized(verifyKey, ctx, nonce, publicShare, helperInputShare, leaderMessage).outputShare();
    AggregateShare leaderAgg = vdaf.aggregateShare();
    leaderAgg.add(leaderOut);
    AggregateShare helperAgg = vdaf.aggregateShare();
    helperAgg.add(helperOut);
    return vdaf.unshard(List.of(leaderAgg.encode(), helperAgg.encode()), 1);
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
