package io.janus.vdaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded randomized Prio3 runs: random parameters and measurements through shard, the ping-pong topology (or the
 * generic three-aggregator preparation), aggregation and unshard must give the plaintext aggregate; tampering with
 * any byte of a share, proof, joint randomness part or ping-pong message must end in {@link VdafException}.
 *
 * <p>The seed is printed; set {@code -Dvdaf.seed=N} to replay a run.
 */
class Prio3RandomizedTest {
  private static final long SEED = Long.getLong("vdaf.seed", 0x9a11_0ce5L);

  /** A random VDAF configuration with a matching measurement generator and plaintext aggregation. */
  private record Case(Prio3 vdaf, int kind, int length, int bits, int maxCount) {
    long[] measurement(SplittableRandom rnd) {
      return switch (kind) {
        case 0 -> new long[] {rnd.nextInt(2)};
        case 1 -> new long[] {rnd.nextLong(1L << bits)};
        case 2, 4 -> {
          long[] m = new long[length];
          for (int i = 0; i < length; i++) {
            m[i] = rnd.nextLong(1L << bits);
          }
          yield m;
        }
        case 3 -> new long[] {rnd.nextInt(length)};
        default -> {
          long[] m = new long[length];
          int ones = rnd.nextInt(maxCount + 1);
          for (int k = 0; k < ones; k++) {
            m[rnd.nextInt(length)] = 1;
          }
          yield m;
        }
      };
    }

    void accumulate(long[] total, long[] m) {
      switch (kind) {
        case 0, 1 -> total[0] += m[0];
        case 3 -> total[(int) m[0]]++;
        default -> {
          for (int i = 0; i < m.length; i++) {
            total[i] += m[i];
          }
        }
      }
    }
  }

  private static Case randomCase(SplittableRandom rnd) {
    int kind = rnd.nextInt(7);
    int length = 1 + rnd.nextInt(20);
    // Chunk lengths may exceed the encoded length (the draft pads the last gadget call).
    // Sums of up to four 61-bit values still fit the long result; overflow is tested separately.
    int bits = 1 + rnd.nextInt(kind == 1 ? 61 : 16);
    return switch (kind) {
      case 0 -> new Case(Prio3.count(), 0, 1, 1, 0);
      case 1 -> new Case(Prio3.sum(bits), 1, 1, bits, 0);
      case 2 -> new Case(Prio3.sumVec(length, bits, 1 + rnd.nextInt(length * bits + 3)), 2, length, bits, 0);
      case 3 -> new Case(Prio3.histogram(length, 1 + rnd.nextInt(length + 3)), 3, length, 0, 0);
      case 4 -> new Case(Prio3.sumVecMultiproof(2 + rnd.nextInt(3), length, bits, 1 + rnd.nextInt(length * bits)),
          4, length, bits, 0);
      // Janus's variant: the same circuit as kind 4, on XofHmacSha256Aes128.
      case 5 -> new Case(Prio3.sumVecField64MultiproofHmacSha256Aes128(2 + rnd.nextInt(3), length, bits,
          1 + rnd.nextInt(length * bits)), 4, length, bits, 0);
      default -> {
        int maxCount = 1 + rnd.nextInt(length);
        yield new Case(Prio3.multiHotHistogram(length, maxCount, 1 + rnd.nextInt(length + 5)), 5, length, 1,
            maxCount);
      }
    };
  }

  private static byte[] bytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  @Test
  void pingPongRoundTripsMatchPlaintext() throws Exception {
    System.out.println("Prio3RandomizedTest seed " + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (int iter = 0; iter < 60; iter++) {
      Case c = randomCase(rnd);
      Prio3 vdaf = c.vdaf();
      String at = "seed " + SEED + " iteration " + iter + " " + vdaf;
      byte[] verifyKey = bytes(rnd, vdaf.verifyKeyLength());
      AggregateShare leaderAgg = vdaf.aggregateShare();
      // The Helper aggregates in two shards and merges them, as rows of one batch in the database would be.
      AggregateShare helperAggA = vdaf.aggregateShare();
      AggregateShare helperAggB = vdaf.aggregateShare();
      long[] total = new long[vdaf.outputLength()];
      int reports = 1 + rnd.nextInt(4);
      for (int r = 0; r < reports; r++) {
        long[] m = c.measurement(rnd);
        c.accumulate(total, m);
        byte[] nonce = bytes(rnd, vdaf.nonceLength());
        Prio3.Shard shard = vdaf.shard(m, nonce, bytes(rnd, vdaf.randLength()));
        Prio3.LeaderInitialized leader =
            vdaf.leaderInitialized(verifyKey, nonce, shard.publicShare(), shard.inputShares().get(0));
        Prio3.HelperInitialized helper = vdaf.helperInitialized(
            verifyKey, nonce, shard.publicShare(), shard.inputShares().get(1), leader.message());
        OutputShare leaderOut = vdaf.leaderContinued(leader.prepState(), helper.message());
        // Output shares survive an encode/decode round trip (the Leader may store them).
        leaderAgg.add(vdaf.decodeOutputShare(leaderOut.encode()));
        (r % 2 == 0 ? helperAggA : helperAggB).add(helper.outputShare());
      }
      helperAggA.merge(vdaf.decodeAggregateShare(helperAggB.encode()));
      long[] result = vdaf.unshard(List.of(leaderAgg.encode(), helperAggA.encode()), reports);
      assertThat(result).as(at).containsExactly(total);
    }
  }

  @Test
  void threeAggregatorsMatchPlaintext() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    for (int iter = 0; iter < 20; iter++) {
      Case c = randomCase(rnd);
      Prio3 vdaf = c.vdaf().withShares(3);
      byte[] verifyKey = bytes(rnd, vdaf.verifyKeyLength());
      List<AggregateShare> aggs = List.of(vdaf.aggregateShare(), vdaf.aggregateShare(), vdaf.aggregateShare());
      long[] total = new long[vdaf.outputLength()];
      for (int r = 0; r < 2; r++) {
        long[] m = c.measurement(rnd);
        c.accumulate(total, m);
        byte[] nonce = bytes(rnd, vdaf.nonceLength());
        Prio3.Shard shard = vdaf.shard(m, nonce, bytes(rnd, vdaf.randLength()));
        List<Prio3.PrepInit> inits = new ArrayList<>();
        List<byte[]> prepShares = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
          Prio3.PrepInit init = vdaf.prepInit(verifyKey, j, nonce, shard.publicShare(), shard.inputShares().get(j));
          inits.add(init);
          prepShares.add(init.prepShare());
        }
        byte[] prepMessage = vdaf.prepSharesToPrep(prepShares);
        for (int j = 0; j < 3; j++) {
          aggs.get(j).add(vdaf.prepNext(inits.get(j).prepState(), prepMessage));
        }
      }
      long[] result = vdaf.unshard(List.of(aggs.get(0).encode(), aggs.get(1).encode(), aggs.get(2).encode()), 2);
      assertThat(result).as("seed %d iteration %d %s", SEED + 1, iter, vdaf).containsExactly(total);
    }
  }

  /** What a tampering test flips a bit in. */
  enum Target { LEADER_MEAS_SHARE, LEADER_PROOF_SHARE, LEADER_BLIND, HELPER_INPUT_SHARE, PUBLIC_SHARE,
    LEADER_MESSAGE, HELPER_MESSAGE }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LEADER_MEAS_SHARE", "LEADER_PROOF_SHARE", "LEADER_BLIND", "HELPER_INPUT_SHARE",
      "PUBLIC_SHARE", "LEADER_MESSAGE", "HELPER_MESSAGE"})
  void tamperingIsRejected(String targetName) throws Exception {
    Target target = Target.valueOf(targetName);
    long seed = SEED + target.ordinal() * 1000L;
    System.out.println("Prio3RandomizedTest tampering " + target + " seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    int tested = 0;
    for (int iter = 0; iter < 60; iter++) {
      Case c = randomCase(rnd);
      Prio3 vdaf = c.vdaf();
      byte[] verifyKey = bytes(rnd, vdaf.verifyKeyLength());
      byte[] nonce = bytes(rnd, vdaf.nonceLength());
      Prio3.Shard shard = vdaf.shard(c.measurement(rnd), nonce, bytes(rnd, vdaf.randLength()));
      byte[] publicShare = shard.publicShare();
      byte[] leaderShare = shard.inputShares().get(0);
      byte[] helperShare = shard.inputShares().get(1);
      boolean jointRand = publicShare.length > 0;
      int measEnd = vdaf.encodedMeasLength();
      // The Leader's blind is one XOF seed long.
      int proofEnd = leaderShare.length - (jointRand ? vdaf.verifyKeyLength() : 0);
      switch (target) {
        case LEADER_MEAS_SHARE -> flip(rnd, leaderShare, 0, measEnd);
        case LEADER_PROOF_SHARE -> flip(rnd, leaderShare, measEnd, proofEnd);
        case LEADER_BLIND -> {
          if (!jointRand) {
            continue;
          }
          flip(rnd, leaderShare, proofEnd, leaderShare.length);
        }
        case HELPER_INPUT_SHARE -> flip(rnd, helperShare, 0, helperShare.length);
        case PUBLIC_SHARE -> {
          if (!jointRand) {
            continue;
          }
          flip(rnd, publicShare, 0, publicShare.length);
        }
        default -> { }
      }
      String at = "seed " + seed + " iteration " + iter + " " + vdaf;
      assertThatThrownBy(() -> {
        Prio3.LeaderInitialized leader = vdaf.leaderInitialized(verifyKey, nonce, publicShare, leaderShare);
        byte[] toHelper = leader.message();
        if (target == Target.LEADER_MESSAGE) {
          flip(rnd, toHelper, 0, toHelper.length);
        }
        Prio3.HelperInitialized helper =
            vdaf.helperInitialized(verifyKey, nonce, publicShare, helperShare, toHelper);
        byte[] toLeader = helper.message();
        if (target == Target.HELPER_MESSAGE) {
          flip(rnd, toLeader, 0, toLeader.length);
        }
        vdaf.leaderContinued(leader.prepState(), toLeader);
      }).as(at).isInstanceOf(VdafException.class);
      tested++;
    }
    assertThat(tested).isGreaterThan(20);
  }

  private static void flip(SplittableRandom rnd, byte[] b, int from, int to) {
    int i = from + rnd.nextInt(to - from);
    b[i] ^= (byte) (1 << rnd.nextInt(8));
  }
}
