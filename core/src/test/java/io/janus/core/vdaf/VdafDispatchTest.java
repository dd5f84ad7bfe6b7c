package io.janus.core.vdaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.task.VdafInstance;
import io.janus.vdaf.VdafException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Runs every Prio3 variant through the ping-pong topology on encoded values, as the aggregators do. */
class VdafDispatchTest {
  private static final byte[] NO_PARAM = new byte[0];

  static Stream<Arguments> instances() {
    return Stream.of(
        Arguments.of(new VdafInstance.Prio3Count(), List.of(new long[] {1}, new long[] {0}, new long[] {1}),
            new long[] {2}),
        Arguments.of(new VdafInstance.Prio3Sum(8), List.of(new long[] {200}, new long[] {55}), new long[] {255}),
        Arguments.of(new VdafInstance.Prio3SumVec(4, 3, 2),
            List.of(new long[] {1, 2, 3}, new long[] {15, 0, 1}), new long[] {16, 2, 4}),
        Arguments.of(new VdafInstance.Prio3Histogram(4, 2),
            List.of(new long[] {0}, new long[] {3}, new long[] {3}), new long[] {1, 0, 0, 2}),
        Arguments.of(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 4, 3, 2),
            List.of(new long[] {1, 2, 3}, new long[] {15, 0, 1}), new long[] {16, 2, 4}));
  }

  @Test
  void field64MultiproofTakesJanusThirtyTwoByteVerifyKey() {
    PingPongVdaf vdaf =
        VdafDispatch.forInstance(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(3, 8, 10, 9));
    assertThat(vdaf.verifyKeyLength()).isEqualTo(32);
    assertThat(VdafDispatch.forInstance(new VdafInstance.Prio3SumVec(8, 10, 9)).verifyKeyLength()).isEqualTo(16);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("instances")
  void shardsPreparesAggregatesAndUnshards(VdafInstance instance, List<long[]> measurements, long[] expected)
      throws VdafException {
    // Replay a failing run with -Djanus.test.seed=<the printed seed>.
    long seed = Long.getLong("janus.test.seed", System.nanoTime());
    System.out.println("VdafDispatchTest seed: " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    PingPongVdaf vdaf = VdafDispatch.forInstance(instance);
    byte[] verifyKey = bytes(random, vdaf.verifyKeyLength());
    byte[] leaderAgg = vdaf.emptyAggregateShare(NO_PARAM);
    byte[] helperAgg = vdaf.emptyAggregateShare(NO_PARAM);
    for (long[] m : measurements) {
      byte[] nonce = bytes(random, 16);
      PingPongVdaf.Sharded s = vdaf.shard(m, nonce, bytes(random, vdaf.randomnessLength()));
      vdaf.checkShares(0, s.publicShare(), s.leaderInputShare());
      vdaf.checkShares(1, s.publicShare(), s.helperInputShare());
      PingPongVdaf.LeaderStart l = vdaf.leaderInitialized(verifyKey, NO_PARAM, nonce, s.publicShare(),
          s.leaderInputShare());
      PingPongVdaf.Transition h = vdaf.helperInitialized(verifyKey, NO_PARAM, nonce, s.publicShare(),
          s.helperInputShare(), l.outbound());
      PingPongVdaf.Finished helperDone = (PingPongVdaf.Finished) h;
      PingPongVdaf.Finished leaderDone = (PingPongVdaf.Finished) vdaf.leaderContinued(NO_PARAM, l.state(),
          helperDone.finalMessage().orElseThrow());
      assertThat(leaderDone.finalMessage()).isEmpty();
      leaderAgg = vdaf.accumulate(NO_PARAM, leaderAgg, leaderDone.outputShare());
      helperAgg = vdaf.merge(NO_PARAM, helperAgg,
          vdaf.accumulate(NO_PARAM, vdaf.emptyAggregateShare(NO_PARAM), helperDone.outputShare()));
    }
    assertThat(vdaf.unshard(NO_PARAM, List.of(leaderAgg, helperAgg), measurements.size())).containsExactly(expected);
  }

  @Test
  void aTamperedInputShareFailsPreparationOrDecoding() throws VdafException {
    PingPongVdaf vdaf = VdafDispatch.forInstance(new VdafInstance.Prio3Count());
    SplittableRandom random = new SplittableRandom(7);
    byte[] nonce = bytes(random, 16);
    byte[] verifyKey = bytes(random, vdaf.verifyKeyLength());
    PingPongVdaf.Sharded s = vdaf.shard(new long[] {1}, nonce, bytes(random, vdaf.randomnessLength()));
    assertThatThrownBy(() -> vdaf.checkShares(1, s.publicShare(), new byte[3])).isInstanceOf(VdafException.class);
    PingPongVdaf.LeaderStart l = vdaf.leaderInitialized(verifyKey, NO_PARAM, nonce, s.publicShare(),
        s.leaderInputShare());
    byte[] otherNonce = bytes(random, 16);
    // Preparing the Helper's share under another nonce breaks the proof.
    assertThatThrownBy(() -> vdaf.helperInitialized(verifyKey, NO_PARAM, otherNonce, s.publicShare(),
        s.helperInputShare(), l.outbound())).isInstanceOf(VdafException.class);
  }

  @Test
  void checkSharesDecodesButDoesNotVerify() throws VdafException {
    PingPongVdaf vdaf = VdafDispatch.forInstance(new VdafInstance.Prio3Count());
    SplittableRandom random = new SplittableRandom(11);
    byte[] nonce = bytes(random, 16);
    byte[] verifyKey = bytes(random, vdaf.verifyKeyLength());
    PingPongVdaf.Sharded s = vdaf.shard(new long[] {1}, nonce, bytes(random, vdaf.randomnessLength()));
    // All ones is above the Field64 prime: not a canonical element.
    byte[] nonCanonical = s.leaderInputShare();
    Arrays.fill(nonCanonical, 0, 8, (byte) 0xff);
    assertThatThrownBy(() -> vdaf.checkShares(0, s.publicShare(), nonCanonical))
        .isInstanceOf(VdafException.class);
    // A canonical but altered measurement share decodes; only preparation finds that the proof fails.
    byte[] altered = s.leaderInputShare();
    altered[0] ^= 1;
    vdaf.checkShares(0, s.publicShare(), altered);
    PingPongVdaf.LeaderStart l = vdaf.leaderInitialized(verifyKey, NO_PARAM, nonce, s.publicShare(), altered);
    assertThatThrownBy(() -> vdaf.helperInitialized(verifyKey, NO_PARAM, nonce, s.publicShare(),
        s.helperInputShare(), l.outbound())).isInstanceOf(VdafException.class);
  }

  @Test
  void prio3TakesOnlyTheEmptyAggregationParameterOnce() {
    PingPongVdaf vdaf = VdafDispatch.forInstance(new VdafInstance.Prio3Count());
    assertThat(vdaf.isValidAggregationParameter(NO_PARAM, List.of())).isTrue();
    assertThat(vdaf.isValidAggregationParameter(new byte[] {1}, List.of())).isFalse();
    assertThat(vdaf.isValidAggregationParameter(NO_PARAM, List.of(NO_PARAM))).isFalse();
  }

  @Test
  void prio3HasNoHelperContinuation() {
    PingPongVdaf vdaf = VdafDispatch.forInstance(new VdafInstance.Prio3Count());
    assertThatThrownBy(() -> vdaf.helperContinued(NO_PARAM, new byte[0], new byte[0]))
        .isInstanceOf(VdafException.class);
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
