package io.janus.vdaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The draft-18 Prio3 variants through the public API beyond the vectors: seeded random measurements under a DAP-style
 * application context, through the ping-pong topology, aggregate to the plaintext sum; a context that differs
 * between client and aggregators is rejected; draft-08 instances refuse a context.
 */
class Prio3Draft18Test {
  private static final long SEED = 0x18_c7e5L;
  private static final byte[] CTX = "dap-18 and a 32-byte task ID......".getBytes(StandardCharsets.US_ASCII);

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of("Count", Prio3Draft18.count(), gen(r -> new long[] {r.nextInt(2)})),
        Arguments.of("Sum(1337)", Prio3Draft18.sum(1337), gen(r -> new long[] {r.nextLong(1338)})),
        Arguments.of("Sum(1)", Prio3Draft18.sum(1), gen(r -> new long[] {r.nextInt(2)})),
        Arguments.of("SumVec(4,1000,5)", Prio3Draft18.sumVec(4, 1000, 5), gen(r -> vector(r, 4, 1001))),
        Arguments.of("Histogram(7,3)", Prio3Draft18.histogram(7, 3), gen(r -> new long[] {r.nextInt(7)})),
        Arguments.of("MultihotCountVec(6,3,2)", Prio3Draft18.multihotCountVec(6, 3, 2), gen(r -> {
          long[] m = new long[6];
          for (int k = r.nextInt(4); k > 0; k--) {
            m[r.nextInt(6)] = 1;
          }
          return m;
        })),
        Arguments.of("SumVecMultiproof(2,3,70000,4)", Prio3Draft18.sumVecMultiproof(2, 3, 70000, 4),
            gen(r -> vector(r, 3, 70001))));
  }

  private static Function<SplittableRandom, long[]> gen(Function<SplittableRandom, long[]> f) {
    return f;
  }

  private static long[] vector(SplittableRandom r, int length, long bound) {
    long[] m = new long[length];
    for (int i = 0; i < length; i++) {
      m[i] = r.nextLong(bound);
    }
    return m;
  }

  private static byte[] bytes(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void pingPongAggregatesToThePlaintextSum(String name, Prio3 vdaf, Function<SplittableRandom, long[]> gen)
      throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED);
    assertThat(vdaf.version()).isEqualTo(VdafVersion.DRAFT_18);
    assertThat(vdaf.verifyKeyLength()).isEqualTo(32);
    byte[] verifyKey = bytes(rnd, 32);
    AggregateShare leaderAgg = vdaf.aggregateShare();
    AggregateShare helperAgg = vdaf.aggregateShare();
    long[] expected = new long[vdaf.outputLength()];
    int reports = 12;
    for (int i = 0; i < reports; i++) {
      long[] m = gen.apply(rnd);
      if (name.startsWith("Histogram")) {
        expected[(int) m[0]]++;
      } else {
        for (int k = 0; k < m.length; k++) {
          expected[k] += m[k];
        }
      }
      byte[] nonce = bytes(rnd, 16);
      Prio3.Shard shard = vdaf.shard(CTX, m, nonce, bytes(rnd, vdaf.randLength()));
      Prio3.LeaderInitialized leader =
          vdaf.leaderInitialized(verifyKey, CTX, nonce, shard.publicShare(), shard.inputShares().get(0));
      Prio3.HelperInitialized helper = vdaf.helperInitialized(
          verifyKey, CTX, nonce, shard.publicShare(), shard.inputShares().get(1), leader.message());
      leaderAgg.add(vdaf.leaderContinued(leader.prepState(), helper.message()));
      helperAgg.add(helper.outputShare());
    }
    assertThat(vdaf.unshard(List.of(leaderAgg.encode(), helperAgg.encode()), reports))
        .as("%s seed %d", name, SEED).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void contextMismatchIsRejected(String name, Prio3 vdaf, Function<SplittableRandom, long[]> gen) throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    byte[] verifyKey = bytes(rnd, 32);
    byte[] nonce = bytes(rnd, 16);
    Prio3.Shard shard = vdaf.shard(CTX, gen.apply(rnd), nonce, bytes(rnd, vdaf.randLength()));
    byte[] other = CTX.clone();
    other[other.length - 1] ^= 1;
    // Both aggregators use the other context: the Helper expands different shares and both derive different query
    // (and joint) randomness, so the proof cannot verify.
    assertThatThrownBy(() -> {
      Prio3.LeaderInitialized leader =
          vdaf.leaderInitialized(verifyKey, other, nonce, shard.publicShare(), shard.inputShares().get(0));
      Prio3.HelperInitialized helper = vdaf.helperInitialized(
          verifyKey, other, nonce, shard.publicShare(), shard.inputShares().get(1), leader.message());
      vdaf.leaderContinued(leader.prepState(), helper.message());
    }).as(name).isInstanceOf(VdafException.class);
  }

  @Test
  void draft08RefusesAContext() {
    Prio3 vdaf = Prio3.count();
    assertThat(vdaf.version()).isEqualTo(VdafVersion.DRAFT_08);
    assertThatThrownBy(() -> vdaf.shard(CTX, new long[] {1}, new byte[16], new byte[vdaf.randLength()]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> vdaf.prepSharesToPrep(CTX, List.of(new byte[0], new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void versionsAreDistinctInstances() {
    assertThat(Prio3Draft18.count()).isNotEqualTo(Prio3.count());
    assertThat(Prio3Draft18.count()).isEqualTo(Prio3Draft18.count());
    assertThat(Prio3Draft18.count().toString()).isEqualTo("Prio3Count, shares=2, VDAF-18");
  }

  @Test
  void measurementsOutOfRangeAreRefused() {
    Prio3 sum = Prio3Draft18.sum(1337);
    byte[] rand = new byte[sum.randLength()];
    assertThatThrownBy(() -> sum.shard(CTX, new long[] {1338}, new byte[16], rand))
        .isInstanceOf(IllegalArgumentException.class);
    Prio3 multihot = Prio3Draft18.multihotCountVec(4, 2, 2);
    assertThatThrownBy(() -> multihot.shard(CTX, new long[] {1, 1, 1, 0}, new byte[16],
        new byte[multihot.randLength()])).isInstanceOf(IllegalArgumentException.class);
  }
}
