package io.janus.vdaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Parameter and measurement validation, strict decoding of every encoded input, and the ping-pong codec. */
class Prio3ApiTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] VERIFY_KEY = new byte[16];
  private static final byte[] NONCE = HEX.parseHex("000102030405060708090a0b0c0d0e0f");

  private static byte[] rand(Prio3 vdaf) {
    byte[] r = new byte[vdaf.randLength()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) (i * 7 + 3);
    }
    return r;
  }

  @Test
  void parametersAreValidated() {
    assertThatThrownBy(() -> Prio3.histogram(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.histogram(4, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.histogram(4, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.histogram(4, (1 << 22) + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sum(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sum(64)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sumVec(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sumVec(2, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sumVec(2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sumVec(1 << 20, 63, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sumVecMultiproof(1, 2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sumVecMultiproof(256, 2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sumVecField64MultiproofHmacSha256Aes128(1, 2, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.sumVecField64MultiproofHmacSha256Aes128(2, 2, 64, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.multiHotHistogram(4, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.multiHotHistogram(4, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.count().withShares(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Prio3.count().withShares(256)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizesAndIdsFollowTheDraft() {
    assertThat(Prio3.count().algorithmId()).isEqualTo(0);
    assertThat(Prio3.sum(8).algorithmId()).isEqualTo(1);
    assertThat(Prio3.sumVec(2, 2, 2).algorithmId()).isEqualTo(2);
    assertThat(Prio3.histogram(4, 2).algorithmId()).isEqualTo(3);
    assertThat(Prio3.sumVecMultiproof(2, 2, 2, 2).algorithmId()).isEqualTo(0xFFFFFFFF);
    Prio3 count = Prio3.count();
    assertThat(count.verifyKeyLength()).isEqualTo(16);
    assertThat(count.nonceLength()).isEqualTo(16);
    assertThat(count.randLength()).isEqualTo(48); // (1 + 2 * 1) seeds, no joint randomness
    assertThat(Prio3.sum(8).randLength()).isEqualTo(80); // plus one blind per aggregator
    assertThat(Prio3.sum(8).withShares(3).randLength()).isEqualTo(128);
    assertThat(Prio3.histogram(5, 2).outputLength()).isEqualTo(5);
  }

  @Test
  void hmacSha256Aes128VariantHasJanusIdAndThirtyTwoByteSeeds() {
    Prio3 vdaf = Prio3.sumVecField64MultiproofHmacSha256Aes128(3, 10, 8, 9);
    assertThat(vdaf.algorithmId()).isEqualTo(0xFFFF1003);
    assertThat(vdaf.proofs()).isEqualTo(3);
    assertThat(vdaf.verifyKeyLength()).isEqualTo(32);
    // Measurement and proof seeds for the Helper, the proving seed, one joint randomness blind per aggregator.
    assertThat(vdaf.randLength()).isEqualTo((2 + 1 + 2) * 32);
    assertThat(vdaf).isNotEqualTo(Prio3.sumVecMultiproof(3, 10, 8, 9));
  }

  @Test
  void resultsCompareByContentAndPrintNoShareBytes() throws Exception {
    Prio3 sum = Prio3.sum(8);
    Prio3.Shard a = sum.shard(7, NONCE, rand(sum));
    Prio3.Shard b = sum.shard(7, NONCE, rand(sum));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(sum.shard(8, NONCE, rand(sum)));
    assertThat(a.toString()).isEqualTo("Shard[publicShare=32 bytes, inputShares=2]");
    Prio3.PrepInit p = sum.prepInit(VERIFY_KEY, 0, NONCE, a.publicShare(), a.inputShares().get(0));
    assertThat(p).isEqualTo(sum.prepInit(VERIFY_KEY, 0, NONCE, b.publicShare(), b.inputShares().get(0)));
    assertThat(p.toString()).doesNotContain(HEX.formatHex(p.prepShare()).substring(0, 8));
    Prio3.LeaderInitialized l = sum.leaderInitialized(VERIFY_KEY, NONCE, a.publicShare(), a.inputShares().get(0));
    assertThat(l).isEqualTo(sum.leaderInitialized(VERIFY_KEY, NONCE, b.publicShare(), b.inputShares().get(0)));
    // Accessors hand out copies.
    a.inputShares().get(0)[0] ^= 1;
    a.publicShare()[0] ^= 1;
    assertThat(a).isEqualTo(b);
  }

  @Test
  void measurementsAreValidated() {
    assertRejected(() -> Prio3.count().shard(2, NONCE, rand(Prio3.count())));
    assertRejected(() -> Prio3.count().shard(-1, NONCE, rand(Prio3.count())));
    assertRejected(() -> Prio3.count().shard(new long[] {1, 0}, NONCE, rand(Prio3.count())));
    Prio3 sum = Prio3.sum(8);
    assertRejected(() -> sum.shard(256, NONCE, rand(sum)));
    assertRejected(() -> sum.shard(-1, NONCE, rand(sum)));
    Prio3 hist = Prio3.histogram(4, 2);
    assertRejected(() -> hist.shard(4, NONCE, rand(hist)));
    assertRejected(() -> hist.shard(-1, NONCE, rand(hist)));
    Prio3 vec = Prio3.sumVec(3, 2, 2);
    assertRejected(() -> vec.shard(new long[] {1, 2}, NONCE, rand(vec)));
    assertRejected(() -> vec.shard(new long[] {1, 2, 4}, NONCE, rand(vec)));
    Prio3 multi = Prio3.multiHotHistogram(4, 2, 2);
    assertRejected(() -> multi.shard(new long[] {1, 1, 1, 0}, NONCE, rand(multi)));
    assertRejected(() -> multi.shard(new long[] {2, 0, 0, 0}, NONCE, rand(multi)));
    // Caller-chosen lengths.
    assertRejected(() -> sum.shard(1, new byte[15], rand(sum)));
    assertRejected(() -> sum.shard(1, NONCE, new byte[79]));
    Prio3.Shard s = sum.shard(1, NONCE, rand(sum));
    assertRejected(() -> sum.prepInit(new byte[15], 0, NONCE, s.publicShare(), s.inputShares().get(0)));
    assertRejected(() -> sum.prepInit(VERIFY_KEY, 2, NONCE, s.publicShare(), s.inputShares().get(0)));
  }

  private static void assertRejected(Executable e) {
    assertThatThrownBy(e::execute).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] resized(byte[] b, int delta) {
    return Arrays.copyOf(b, b.length + delta);
  }

  @Test
  void malformedSharesAreVdafExceptions() throws Exception {
    Prio3 sum = Prio3.sum(8);
    Prio3.Shard s = sum.shard(100, NONCE, rand(sum));
    byte[] pub = s.publicShare();
    byte[] leader = s.inputShares().get(0);
    byte[] helper = s.inputShares().get(1);
    assertVdaf(() -> sum.prepInit(VERIFY_KEY, 0, NONCE, resized(pub, -1), leader));
    assertVdaf(() -> sum.prepInit(VERIFY_KEY, 0, NONCE, resized(pub, 1), leader));
    assertVdaf(() -> sum.prepInit(VERIFY_KEY, 0, NONCE, pub, resized(leader, 1)));
    assertVdaf(() -> sum.prepInit(VERIFY_KEY, 0, NONCE, pub, resized(leader, -1)));
    assertVdaf(() -> sum.prepInit(VERIFY_KEY, 1, NONCE, pub, resized(helper, 1)));
    assertVdaf(() -> sum.prepInit(VERIFY_KEY, 1, NONCE, pub, leader));
    // A non-canonical field element (all ones is above p) in the measurement share.
    byte[] nonCanonical = leader.clone();
    Arrays.fill(nonCanonical, 0, 16, (byte) 0xff);
    assertVdaf(() -> sum.prepInit(VERIFY_KEY, 0, NONCE, pub, nonCanonical));

    Prio3.PrepInit l = sum.prepInit(VERIFY_KEY, 0, NONCE, pub, leader);
    Prio3.PrepInit h = sum.prepInit(VERIFY_KEY, 1, NONCE, pub, helper);
    assertVdaf(() -> sum.prepSharesToPrep(List.of(resized(l.prepShare(), 1), h.prepShare())));
    assertVdaf(() -> sum.prepSharesToPrep(List.of(l.prepShare(), resized(h.prepShare(), -1))));
    byte[] msg = sum.prepSharesToPrep(List.of(l.prepShare(), h.prepShare()));
    assertVdaf(() -> sum.prepNext(l.prepState(), resized(msg, 1)));
    assertVdaf(() -> sum.prepNext(resized(l.prepState(), -1), msg));
    byte[] wrongSeed = msg.clone();
    wrongSeed[0] ^= 1;
    assertVdaf(() -> sum.prepNext(l.prepState(), wrongSeed));
    // The stored Leader state resumes preparation.
    OutputShare out = sum.prepNext(l.prepState(), msg);
    assertThat(out.length()).isEqualTo(1);

    AggregateShare agg = sum.aggregateShare();
    agg.add(out);
    assertVdaf(() -> sum.decodeAggregateShare(resized(agg.encode(), 1)));
    byte[] bad = agg.encode();
    Arrays.fill(bad, (byte) 0xff);
    assertVdaf(() -> sum.decodeAggregateShare(bad));
    assertVdaf(() -> sum.decodeOutputShare(new byte[15]));
  }

  @Test
  void checkInputShareAcceptsWellFormedSharesOfEveryAggregator() throws Exception {
    List<Prio3> vdafs = List.of(Prio3.count(), Prio3.sum(8), Prio3.histogram(5, 2), Prio3.sumVec(3, 2, 2),
        Prio3.sumVecMultiproof(2, 3, 2, 2), Prio3.multiHotHistogram(4, 2, 2), Prio3.sum(8).withShares(3));
    for (Prio3 vdaf : vdafs) {
      long[] measurement = vdaf.algorithmId() == Prio3.ID_HISTOGRAM ? new long[] {1} : new long[vdaf.outputLength()];
      Prio3.Shard s = vdaf.shard(measurement, NONCE, rand(vdaf));
      for (int j = 0; j < vdaf.shares(); j++) {
        vdaf.checkInputShare(j, s.publicShare(), s.inputShares().get(j));
      }
    }
  }

  @Test
  void checkInputShareRejectsWhatPrepInitCannotDecode() throws Exception {
    Prio3 sum = Prio3.sum(8);
    Prio3.Shard s = sum.shard(100, NONCE, rand(sum));
    byte[] pub = s.publicShare();
    byte[] leader = s.inputShares().get(0);
    byte[] helper = s.inputShares().get(1);
    assertVdaf(() -> sum.checkInputShare(0, resized(pub, -1), leader));
    assertVdaf(() -> sum.checkInputShare(1, resized(pub, 1), helper));
    assertVdaf(() -> sum.checkInputShare(0, pub, resized(leader, 1)));
    assertVdaf(() -> sum.checkInputShare(0, pub, resized(leader, -1)));
    assertVdaf(() -> sum.checkInputShare(1, pub, resized(helper, 1)));
    assertVdaf(() -> sum.checkInputShare(1, pub, leader));
    assertVdaf(() -> sum.checkInputShare(0, pub, helper));
    byte[] nonCanonicalMeas = leader.clone();
    Arrays.fill(nonCanonicalMeas, 0, 16, (byte) 0xff);
    assertVdaf(() -> sum.checkInputShare(0, pub, nonCanonicalMeas));
    // The last field element before the blind is part of the proof share.
    byte[] nonCanonicalProof = leader.clone();
    Arrays.fill(nonCanonicalProof, leader.length - 32, leader.length - 16, (byte) 0xff);
    assertVdaf(() -> sum.checkInputShare(0, pub, nonCanonicalProof));
    // Count has no joint randomness: its public share is empty.
    Prio3 count = Prio3.count();
    Prio3.Shard c = count.shard(1, NONCE, rand(count));
    assertVdaf(() -> count.checkInputShare(0, new byte[16], c.inputShares().get(0)));
    assertRejected(() -> sum.checkInputShare(2, pub, helper));
    assertRejected(() -> sum.checkInputShare(-1, pub, leader));
  }

  /** On arbitrary inputs, the cheap check fails exactly when prep_init fails (the key and nonce are fixed). */
  @Test
  void checkInputShareAgreesWithPrepInit() throws Exception {
    long seed = 0xc0ffeeL;
    System.out.println("Prio3ApiTest checkInputShare seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Prio3> vdafs = List.of(Prio3.count(), Prio3.sum(8), Prio3.histogram(5, 2), Prio3.sumVecMultiproof(2, 3, 2, 2));
    for (Prio3 vdaf : vdafs) {
      Prio3.Shard s = vdaf.shard(new long[vdaf == vdafs.get(3) ? 3 : 1], NONCE, rand(vdaf));
      for (int iter = 0; iter < 300; iter++) {
        int j = iter % 2;
        byte[] pubX = rnd.nextInt(3) == 0 ? mutate(rnd, s.publicShare()) : s.publicShare();
        byte[] shareX = mutateSparsely(rnd, s.inputShares().get(j));
        boolean checked = accepts(() -> vdaf.checkInputShare(j, pubX, shareX));
        boolean prepared = accepts(() -> vdaf.prepInit(VERIFY_KEY, j, NONCE, pubX, shareX));
        assertThat(checked).as("seed %d iteration %d %s aggregator %d", seed, iter, vdaf, j).isEqualTo(prepared);
      }
    }
  }

  /** Like {@link #mutate}, but often leaves most bytes alone so that some mutated shares still decode. */
  private static byte[] mutateSparsely(SplittableRandom rnd, byte[] b) {
    if (rnd.nextInt(4) == 0) {
      return mutate(rnd, b);
    }
    byte[] out = b.clone();
    out[rnd.nextInt(out.length)] = (byte) rnd.nextInt(256);
    return out;
  }

  /** A call that may only reject its input. */
  private interface VdafCall {
    void run() throws VdafException;
  }

  private static boolean accepts(VdafCall call) {
    try {
      call.run();
      return true;
    } catch (VdafException rejected) {
      return false;
    }
  }

  private static void assertVdaf(Executable e) {
    assertThatThrownBy(e::execute).isInstanceOf(VdafException.class);
  }

  @Test
  void unshardFailsCleanlyOnOverflow() throws Exception {
    Prio3 sum = Prio3.sum(63);
    AggregateShare leader = sum.aggregateShare();
    AggregateShare helper = sum.aggregateShare();
    for (int r = 0; r < 2; r++) {
      byte[] nonce = NONCE.clone();
      nonce[0] = (byte) r;
      Prio3.Shard s = sum.shard(Long.MAX_VALUE, nonce, rand(sum));
      Prio3.LeaderInitialized li = sum.leaderInitialized(VERIFY_KEY, nonce, s.publicShare(), s.inputShares().get(0));
      Prio3.HelperInitialized hi =
          sum.helperInitialized(VERIFY_KEY, nonce, s.publicShare(), s.inputShares().get(1), li.message());
      leader.add(sum.leaderContinued(li.prepState(), hi.message()));
      helper.add(hi.outputShare());
    }
    assertThatThrownBy(() -> sum.unshard(List.of(leader.encode(), helper.encode()), 2))
        .isInstanceOf(VdafException.class)
        .hasMessageContaining("does not fit");
  }

  @Test
  void aggregateSharesOfDifferentVdafsDoNotMix() {
    AggregateShare a = Prio3.histogram(4, 2).aggregateShare();
    assertThatThrownBy(() -> a.merge(Prio3.histogram(4, 1).aggregateShare()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Prio3.histogram(4, 2)).isEqualTo(Prio3.histogram(4, 2)).hasSameHashCodeAs(Prio3.histogram(4, 2));
    assertThat(Prio3.histogram(4, 2)).isNotEqualTo(Prio3.histogram(4, 2).withShares(3));
    assertThat(Prio3.histogram(4, 2).toString()).isEqualTo("Prio3Histogram(length=4, chunkLength=2), shares=2");
  }

  @Test
  void pingPongMessagesRoundTrip() throws Exception {
    byte[] init = PingPong.initialize(HEX.parseHex("aabb"));
    assertThat(HEX.formatHex(init)).isEqualTo(
        "00" // type = initialize
            + "00000002" + "aabb"); // prep_share<0..2^32-1>
    byte[] cont = PingPong.continued(HEX.parseHex("01"), HEX.parseHex("0203"));
    assertThat(HEX.formatHex(cont)).isEqualTo(
        "01" // type = continue
            + "00000001" + "01" // prep_msg
            + "00000002" + "0203"); // prep_share
    byte[] fin = PingPong.finish(new byte[0]);
    assertThat(HEX.formatHex(fin)).isEqualTo(
        "02" // type = finish
            + "00000000"); // empty prep_msg
    PingPong.Message m = PingPong.decode(cont);
    assertThat(m.type()).isEqualTo(PingPong.CONTINUE);
    assertThat(m.prepMessage()).containsExactly(1);
    assertThat(m.prepShare()).containsExactly(2, 3);
    assertThat(PingPong.decode(init).prepShare()).containsExactly(0xaa, 0xbb);
    assertThat(PingPong.decode(fin).prepMessage()).isEmpty();

    assertVdaf(() -> PingPong.decode(new byte[0]));
    assertVdaf(() -> PingPong.decode(HEX.parseHex("03")));
    assertVdaf(() -> PingPong.decode(HEX.parseHex("000000")));
    assertVdaf(() -> PingPong.decode(HEX.parseHex("0000000002aa")));
    assertVdaf(() -> PingPong.decode(HEX.parseHex("00ffffffffaa")));
    assertVdaf(() -> PingPong.decode(HEX.parseHex("0000000001aabb")));
    assertVdaf(() -> PingPong.decode(HEX.parseHex("010000000101")));
  }

  /** Arbitrary bytes at every decoding entry point end in success or VdafException, never anything else. */
  @Test
  void arbitraryInputsNeverThrowUncheckedExceptions() throws Exception {
    long seed = 0xdec0deL;
    System.out.println("Prio3ApiTest fuzz seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Prio3> vdafs = List.of(Prio3.count(), Prio3.sum(8), Prio3.histogram(5, 2), Prio3.sumVecMultiproof(2, 3, 2, 2));
    for (Prio3 vdaf : vdafs) {
      Prio3.Shard s = vdaf.shard(new long[vdaf == vdafs.get(3) ? 3 : 1], NONCE, rand(vdaf));
      byte[] pub = s.publicShare();
      byte[] leader = s.inputShares().get(0);
      byte[] helper = s.inputShares().get(1);
      Prio3.LeaderInitialized li = vdaf.leaderInitialized(VERIFY_KEY, NONCE, pub, leader);
      for (int iter = 0; iter < 200; iter++) {
        // Mostly right-sized inputs with random content, sometimes random sizes.
        byte[] pubX = mutate(rnd, pub);
        byte[] leaderX = mutate(rnd, leader);
        byte[] helperX = mutate(rnd, helper);
        byte[] msgX = mutate(rnd, li.message());
        byte[] stateX = mutate(rnd, li.prepState());
        expectOnlyVdafException(() -> vdaf.leaderInitialized(VERIFY_KEY, NONCE, pubX, leaderX));
        expectOnlyVdafException(() -> vdaf.helperInitialized(VERIFY_KEY, NONCE, pubX, helperX, msgX));
        expectOnlyVdafException(() -> vdaf.leaderContinued(stateX, msgX));
        expectOnlyVdafException(() -> vdaf.prepSharesToPrep(List.of(mutate(rnd, leaderX), mutate(rnd, helperX))));
        expectOnlyVdafException(() -> vdaf.decodeAggregateShare(mutate(rnd, vdaf.aggregateShare().encode())));
        expectOnlyVdafException(() -> vdaf.unshard(List.of(mutate(rnd, stateX), mutate(rnd, stateX)), 1));
      }
    }
  }

  private static byte[] mutate(SplittableRandom rnd, byte[] b) {
    byte[] out = rnd.nextInt(4) == 0 ? new byte[rnd.nextInt(b.length + 40)] : b.clone();
    for (int i = 0; i < out.length; i++) {
      if (rnd.nextInt(8) == 0) {
        out[i] = (byte) rnd.nextInt(256);
      }
    }
    return out;
  }

  private static void expectOnlyVdafException(Executable e) {
    try {
      e.execute();
    } catch (VdafException expected) {
      // A rejected input is fine; any other throwable fails the test.
    } catch (Throwable t) {
      throw new AssertionError("unexpected " + t, t);
    }
  }

  @Test
  void pingPongRejectsUnexpectedMessageTypes() throws Exception {
    Prio3 count = Prio3.count();
    Prio3.Shard s = count.shard(1, NONCE, rand(count));
    Prio3.LeaderInitialized li = count.leaderInitialized(VERIFY_KEY, NONCE, s.publicShare(), s.inputShares().get(0));
    Prio3.HelperInitialized hi =
        count.helperInitialized(VERIFY_KEY, NONCE, s.publicShare(), s.inputShares().get(1), li.message());
    // The Helper must receive initialize; the Leader must receive finish.
    assertVdaf(() ->
        count.helperInitialized(VERIFY_KEY, NONCE, s.publicShare(), s.inputShares().get(1), hi.message()));
    assertVdaf(() -> count.leaderContinued(li.prepState(), li.message()));
    assertVdaf(() -> count.leaderContinued(li.prepState(), PingPong.continued(new byte[0], new byte[0])));
    assertThat(count.leaderContinued(li.prepState(), hi.message()).encode())
        .isNotEqualTo(hi.outputShare().encode());
    Prio3 three = count.withShares(3);
    assertThatThrownBy(() -> three.leaderInitialized(VERIFY_KEY, NONCE, new byte[0], new byte[0]))
        .isInstanceOf(IllegalStateException.class);
  }
}
