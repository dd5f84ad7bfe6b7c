package io.janus.core.vdaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.vdaf.VdafException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test double behaves as its Javadoc promises, so tests built on it fail for the right reasons. */
class FakeVdafTest {
  private static final byte[] KEY = new byte[16];
  private static final byte[] NONCE = new byte[16];
  private static final byte[] PARAM = new byte[0];

  @Test
  void oneRoundFinishesOnTheHelpersFirstStepAndSums() throws VdafException {
    FakeVdaf vdaf = new FakeVdaf();
    byte[] leaderAgg = vdaf.emptyAggregateShare(PARAM);
    byte[] helperAgg = vdaf.emptyAggregateShare(PARAM);
    for (long m : new long[] {3, 4}) {
      PingPongVdaf.Sharded s = vdaf.shard(new long[] {m}, NONCE, new byte[0]);
      PingPongVdaf.LeaderStart l = vdaf.leaderInitialized(KEY, PARAM, NONCE, s.publicShare(), s.leaderInputShare());
      PingPongVdaf.Finished h = (PingPongVdaf.Finished) vdaf.helperInitialized(KEY, PARAM, NONCE, s.publicShare(),
          s.helperInputShare(), l.outbound());
      PingPongVdaf.Finished ld = (PingPongVdaf.Finished) vdaf.leaderContinued(PARAM, l.state(),
          h.finalMessage().orElseThrow());
      leaderAgg = vdaf.accumulate(PARAM, leaderAgg, ld.outputShare());
      helperAgg = vdaf.accumulate(PARAM, helperAgg, h.outputShare());
    }
    assertThat(FakeVdaf.value(helperAgg)).isEqualTo(2);
    assertThat(vdaf.unshard(PARAM, List.of(leaderAgg, helperAgg), 2)).containsExactly(7);
  }

  @Test
  void twoRoundsContinueOnceThenFinishWithoutAMessage() throws VdafException {
    FakeVdaf vdaf = new FakeVdaf(2);
    PingPongVdaf.Sharded s = vdaf.shard(new long[] {5}, NONCE, new byte[0]);
    PingPongVdaf.LeaderStart l = vdaf.leaderInitialized(KEY, PARAM, NONCE, s.publicShare(), s.leaderInputShare());
    PingPongVdaf.Continued h = (PingPongVdaf.Continued) vdaf.helperInitialized(KEY, PARAM, NONCE, s.publicShare(),
        s.helperInputShare(), l.outbound());
    PingPongVdaf.Finished ld = (PingPongVdaf.Finished) vdaf.leaderContinued(PARAM, l.state(), h.message());
    PingPongVdaf.Finished hd = (PingPongVdaf.Finished) vdaf.helperContinued(PARAM, h.state(),
        ld.finalMessage().orElseThrow());
    assertThat(hd.finalMessage()).isEmpty();
    assertThat(vdaf.unshard(PARAM, List.of(ld.outputShare(), hd.outputShare()), 1)).containsExactly(5);
  }

  @Test
  void failsOnPurposeWhereAsked() throws VdafException {
    FakeVdaf vdaf = new FakeVdaf(2);
    PingPongVdaf.Sharded init = vdaf.shard(new long[] {FakeVdaf.FAIL_INIT}, NONCE, new byte[0]);
    byte[] first = vdaf.leaderInitialized(KEY, PARAM, NONCE, init.publicShare(), init.leaderInputShare()).outbound();
    assertThatThrownBy(() -> vdaf.helperInitialized(KEY, PARAM, NONCE, init.publicShare(), init.helperInputShare(),
        first)).isInstanceOf(VdafException.class);

    PingPongVdaf.Sharded cont = vdaf.shard(new long[] {FakeVdaf.FAIL_CONTINUE}, NONCE, new byte[0]);
    PingPongVdaf.Continued h = (PingPongVdaf.Continued) vdaf.helperInitialized(KEY, PARAM, NONCE,
        cont.publicShare(), cont.helperInputShare(), first);
    assertThatThrownBy(() -> vdaf.helperContinued(PARAM, h.state(), new byte[] {2, 1}))
        .isInstanceOf(VdafException.class);
  }

  @Test
  void rejectsMalformedSharesAndReusedParameters() {
    FakeVdaf vdaf = new FakeVdaf();
    assertThatThrownBy(() -> vdaf.checkShares(0, new byte[] {0}, new byte[3])).isInstanceOf(VdafException.class);
    assertThatThrownBy(() -> vdaf.checkShares(0, new byte[] {9}, new byte[8])).isInstanceOf(VdafException.class);
    assertThat(vdaf.isValidAggregationParameter(new byte[] {1}, List.of(new byte[] {2}))).isTrue();
    assertThat(vdaf.isValidAggregationParameter(new byte[] {1}, List.of(new byte[] {1}))).isFalse();
  }
}
