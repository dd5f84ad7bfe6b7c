package io.janus.core.vdaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.task.DapVersion;
import io.janus.core.task.VdafInstance;
import io.janus.messages.TaskId;
import io.janus.messages.dap18.Dap18;
import io.janus.vdaf.Prio3;
import io.janus.vdaf.Prio3Draft18;
import io.janus.vdaf.VdafException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link VdafDispatch#forTask} for DAP-18: every VDAF-18 variant through shard, Leader init, Helper init, Leader
 * continue, aggregation and unshard, under the task's application context; and DAP-09 unchanged.
 */
class VdafDispatchDap18Test {
  private static final byte[] NO_PARAM = new byte[0];
  private static final TaskId TASK = new TaskId(HexFormat.of().parseHex(
      "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"));

  static Stream<Arguments> instances() {
    return Stream.of(
        Arguments.of(new VdafInstance.Prio3Count(), List.of(new long[] {1}, new long[] {0}, new long[] {1}),
            new long[] {2}),
        Arguments.of(new VdafInstance.Prio3SumMaxMeasurement(200), List.of(new long[] {200}, new long[] {55}),
            new long[] {255}),
        Arguments.of(new VdafInstance.Prio3SumVecMaxMeasurement(15, 3, 2),
            List.of(new long[] {1, 2, 3}, new long[] {15, 0, 1}), new long[] {16, 2, 4}),
        Arguments.of(new VdafInstance.Prio3Histogram(4, 2),
            List.of(new long[] {0}, new long[] {3}, new long[] {3}), new long[] {1, 0, 0, 2}),
        Arguments.of(new VdafInstance.Prio3MultihotCountVec(4, 2, 2),
            List.of(new long[] {1, 0, 0, 1}, new long[] {0, 1, 0, 1}, new long[] {0, 0, 0, 0}),
            new long[] {1, 1, 0, 2}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("instances")
  void roundTripsThroughThePingPongTopology(VdafInstance instance, List<long[]> measurements, long[] expected)
      throws VdafException {
    long seed = Long.getLong("janus.test.seed", System.nanoTime());
    System.out.println("VdafDispatchDap18Test seed: " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    PingPongVdaf vdaf = VdafDispatch.forTask(DapVersion.DAP_18, TASK, instance);
    byte[] verifyKey = bytes(random, vdaf.verifyKeyLength());
    PingPongVdaf.Accumulator leaderAgg = vdaf.accumulator(NO_PARAM);
    PingPongVdaf.Accumulator helperAgg = vdaf.accumulator(NO_PARAM);
    for (long[] m : measurements) {
      byte[] nonce = bytes(random, 16);
      PingPongVdaf.Sharded s = vdaf.shard(m, nonce, bytes(random, vdaf.randomnessLength()));
      vdaf.checkShares(0, s.publicShare(), s.leaderInputShare());
      vdaf.checkShares(1, s.publicShare(), s.helperInputShare());
      PingPongVdaf.LeaderStart l = vdaf.leaderInitialized(verifyKey, NO_PARAM, nonce, s.publicShare(),
          s.leaderInputShare());
      // VDAF-18 section 5.7: initialize(0) carrying the verifier share, length-prefixed.
      assertThat(l.outbound()[0]).isEqualTo((byte) 0);
      PingPongVdaf.Finished helperDone = (PingPongVdaf.Finished) vdaf.helperInitialized(verifyKey, NO_PARAM,
          nonce, s.publicShare(), s.helperInputShare(), l.outbound());
      byte[] finish = helperDone.finalMessage().orElseThrow();
      assertThat(finish[0]).isEqualTo((byte) 2);
      PingPongVdaf.Finished leaderDone = (PingPongVdaf.Finished) vdaf.leaderContinued(NO_PARAM, l.state(), finish);
      assertThat(leaderDone.finalMessage()).isEmpty();
      leaderAgg.addOutputShare(leaderDone.outputShare());
      helperAgg.addOutputShare(helperDone.outputShare());
    }
    assertThat(vdaf.unshard(NO_PARAM, List.of(leaderAgg.encode(), helperAgg.encode()), measurements.size()))
        .containsExactly(expected);
  }

  @Test
  void shardsUnderDap18ContextOfTheTask() {
    SplittableRandom random = new SplittableRandom(1);
    byte[] nonce = bytes(random, 16);
    PingPongVdaf vdaf = VdafDispatch.forTask(DapVersion.DAP_18, TASK, new VdafInstance.Prio3Count());
    byte[] rand = bytes(random, vdaf.randomnessLength());
    Prio3.Shard direct = Prio3Draft18.count().shard(Dap18.vdafContext(TASK), new long[] {1}, nonce, rand);
    PingPongVdaf.Sharded viaFacade = vdaf.shard(new long[] {1}, nonce, rand);
    assertThat(viaFacade.leaderInputShare()).isEqualTo(direct.inputShares().get(0));
    assertThat(viaFacade.helperInputShare()).isEqualTo(direct.inputShares().get(1));
    assertThat(viaFacade.publicShare()).isEqualTo(direct.publicShare());
  }

  @Test
  void anotherTasksContextFailsVerification() throws VdafException {
    SplittableRandom random = new SplittableRandom(2);
    VdafInstance instance = new VdafInstance.Prio3Histogram(3, 1);
    PingPongVdaf client = VdafDispatch.forTask(DapVersion.DAP_18, TASK, instance);
    TaskId other = new TaskId(bytes(random, 32));
    PingPongVdaf aggregators = VdafDispatch.forTask(DapVersion.DAP_18, other, instance);
    byte[] nonce = bytes(random, 16);
    byte[] verifyKey = bytes(random, client.verifyKeyLength());
    PingPongVdaf.Sharded s = client.shard(new long[] {2}, nonce, bytes(random, client.randomnessLength()));
    PingPongVdaf.LeaderStart l = aggregators.leaderInitialized(verifyKey, NO_PARAM, nonce, s.publicShare(),
        s.leaderInputShare());
    assertThatThrownBy(() -> aggregators.helperInitialized(verifyKey, NO_PARAM, nonce, s.publicShare(),
        s.helperInputShare(), l.outbound())).isInstanceOf(VdafException.class);
  }

  @Test
  void dap09IsVdaf08AsBefore() {
    SplittableRandom random = new SplittableRandom(3);
    byte[] nonce = bytes(random, 16);
    VdafInstance instance = new VdafInstance.Prio3Sum(8);
    PingPongVdaf viaTask = VdafDispatch.forTask(DapVersion.DAP_09, TASK, instance);
    byte[] rand = bytes(random, viaTask.randomnessLength());
    Prio3.Shard direct = Prio3.sum(8).shard(new long[] {77}, nonce, rand);
    assertThat(viaTask.shard(new long[] {77}, nonce, rand))
        .isEqualTo(VdafDispatch.forInstance(instance).shard(new long[] {77}, nonce, rand));
    assertThat(viaTask.shard(new long[] {77}, nonce, rand).leaderInputShare())
        .isEqualTo(direct.inputShares().get(0));
  }

  @Test
  void eachVersionRunsOnlyItsParameterisations() {
    assertThat(new VdafInstance.Prio3Count().runsUnder(DapVersion.DAP_18)).isTrue();
    assertThat(new VdafInstance.Prio3Histogram(2, 1).runsUnder(DapVersion.DAP_09)).isTrue();
    assertThat(new VdafInstance.Prio3Sum(8).runsUnder(DapVersion.DAP_18)).isFalse();
    assertThat(new VdafInstance.Prio3SumMaxMeasurement(8).runsUnder(DapVersion.DAP_09)).isFalse();
    assertThat(new VdafInstance.Prio3MultihotCountVec(3, 1, 1).runsUnder(DapVersion.DAP_09)).isFalse();
    assertThatThrownBy(() -> VdafDispatch.forTask(DapVersion.DAP_18, TASK, new VdafInstance.Prio3SumVec(8, 2, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_measurement");
    assertThatThrownBy(() -> VdafDispatch.forInstance(new VdafInstance.Prio3SumMaxMeasurement(8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DAP-09");
    assertThatThrownBy(() -> VdafDispatch.forTask(DapVersion.DAP_18, TASK,
        new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 8, 2, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
