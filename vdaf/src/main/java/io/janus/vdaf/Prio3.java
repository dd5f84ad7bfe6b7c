package io.janus.vdaf;

import io.janus.vdaf.internal.Circuit;
import io.janus.vdaf.internal.Field;
import io.janus.vdaf.internal.Field128;
import io.janus.vdaf.internal.Field64;
import io.janus.vdaf.internal.FlpGeneric;
import io.janus.vdaf.internal.VdafDraft08;
import io.janus.vdaf.internal.Xof;
import io.janus.vdaf.internal.XofAlgorithm;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prio3 as specified by draft-irtf-cfrg-vdaf-08 section 7 or draft-irtf-cfrg-vdaf-18 section 7 (see
 * {@link VdafVersion}), with XofTurboShake128 (or, for Janus's private-use variant, libprio's
 * XofHmacSha256Aes128), over encoded bytes: client sharding, the aggregators' one-round preparation (directly, or
 * through the two-party ping-pong topology that DAP uses), aggregation and unsharding. Draft 18 calls preparation
 * "verification" (verify_init, verifier shares, verifier message); the methods keep the draft-08 names so that
 * one API serves both versions.
 *
 * <p>Draft-08 instances come from the factories here ({@link #count()}, {@link #sum(int)},
 * {@link #sumVec(int, int, int)}, {@link #histogram(int, int)}, {@link #sumVecMultiproof(int, int, int, int)},
 * {@link #sumVecField64MultiproofHmacSha256Aes128(int, int, int, int)}), draft-18 instances from
 * {@link Prio3Draft18}; both are for two aggregators unless {@link #withShares(int)} says otherwise. They are
 * immutable and thread-safe.
 *
 * <p>Draft 18 binds every step to an application context ({@code ctx}; DAP-18 uses "dap-18" followed by the task
 * ID). The methods without a {@code ctx} argument use the empty context, which is the only one draft 08 accepts.
 *
 * <p>Measurements are {@code long[]} for every variant: Count {@code {0 or 1}}, Sum {@code {value}}, SumVec the
 * vector itself, Histogram {@code {bucket index}}, MultihotCountVec a vector of 0s and 1s;
 * {@link #shard(long, byte[], byte[])} wraps a scalar. Aggregate
 * results are {@code long[]} too (length 1 for Count and Sum).
 *
 * <p>Malformed inputs and failed verification raise the checked {@link VdafException}; wrong argument lengths
 * chosen by the caller (nonce, verify key, rand, aggregator ID) and out-of-range measurements raise
 * {@link IllegalArgumentException}.
 *
 * <p>Prio3 has one round: in the ping-pong topology the Helper finishes in {@link #helperInitialized} and the
 * Leader in {@link #leaderContinued}, so no helper-continued step exists. Sums are computed modulo the field's
 * prime (about 2^64 for Count and the multiproof SumVecs, 2^128 otherwise), as in the draft; {@link #unshard}
 * rejects totals that do not fit a non-negative {@code long}.
 */
public final class Prio3 {
  /** Nonce length in bytes. */
  public static final int NONCE_LENGTH = 16;
  private static final byte[] EMPTY = new byte[0];
  /** Algorithm ID of Prio3Count in draft 08 ({@link Prio3Draft18} has the draft-18 IDs). */
  public static final int ID_COUNT = 0x00000000;
  /** Algorithm ID of Prio3Sum. */
  public static final int ID_SUM = 0x00000001;
  /** Algorithm ID of Prio3SumVec. */
  public static final int ID_SUM_VEC = 0x00000002;
  /** Algorithm ID of Prio3Histogram. */
  public static final int ID_HISTOGRAM = 0x00000003;
  /** The draft's reserved test codepoint, used by its experimental variants (multiproof SumVec, multi-hot). */
  public static final int ID_EXPERIMENTAL = 0xFFFFFFFF;
  /**
   * Private-use algorithm ID of Janus's Prio3SumVecField64MultiproofHmacSha256Aes128, chosen by Janus and Daphne
   * to interoperate.
   */
  public static final int ID_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128 = 0xFFFF1003;

  private final VdafVersion version;
  private final String name;
  private final int algorithmId;
  private final XofAlgorithm xof;
  /** The XOF's seed size: of every seed, blind and joint randomness part, and of the verify key. */
  private final int seedSize;
  private final Circuit circuit;
  private final FlpGeneric flp;
  private final Field field;
  private final int proofs;
  private final int shares;
  private final boolean jointRand;
  private final int measLen;
  private final int outputLen;
  private final int proofLen;
  private final int verifierLen;

  private Prio3(String name, int algorithmId, XofAlgorithm xof, Circuit circuit, int proofs, int shares) {
    this(VdafVersion.DRAFT_08, name, algorithmId, xof, circuit, proofs, shares);
  }

  /** Creates an instance of any version; the version-specific factories ({@link Prio3Draft18}) call this. */
  Prio3(VdafVersion version, String name, int algorithmId, XofAlgorithm xof, Circuit circuit, int proofs,
      int shares) {
    if (shares < 2 || shares > 255) {
      throw new IllegalArgumentException("number of aggregators must be in [2, 255], got " + shares);
    }
    if (proofs < 1 || proofs > 255) {
      throw new IllegalArgumentException("number of proofs must be in [1, 255], got " + proofs);
    }
    this.version = version;
    this.name = name;
    this.algorithmId = algorithmId;
    this.xof = xof;
    this.seedSize = xof.seedSize();
    this.circuit = circuit;
    this.flp = version.flp(circuit);
    this.field = circuit.field();
    this.proofs = proofs;
    this.shares = shares;
    this.jointRand = circuit.jointRandLen() > 0;
    this.measLen = circuit.measLen();
    this.outputLen = circuit.outputLen();
    this.proofLen = flp.proofLen();
    this.verifierLen = flp.verifierLen();
  }

  /** Returns Prio3Count (ID 0): counts measurements equal to 1, over Field64. */
  public static Prio3 count() {
    return new Prio3("Prio3Count", ID_COUNT, XofAlgorithm.TURBO_SHAKE_128, new Circuit.Count(), 1, 2);
  }

  /**
   * Returns Prio3Sum (ID 1) for measurements in [0, 2^bits), over Field128.
   *
   * @param bits in [1, 63]
   */
  public static Prio3 sum(int bits) {
    return new Prio3(
        "Prio3Sum(bits=" + bits + ")", ID_SUM, XofAlgorithm.TURBO_SHAKE_128, new Circuit.Sum(bits), 1, 2);
  }

  /**
   * Returns Prio3SumVec (ID 2): element-wise sums of vectors of {@code length} entries in [0, 2^bits), over
   * Field128, with bit checks batched {@code chunkLength} per gadget call.
   *
   * @param length at least 1
   * @param bits in [1, 63]
   * @param chunkLength at least 1 (larger than length * bits is allowed: the last gadget call is padded)
   */
  public static Prio3 sumVec(int length, int bits, int chunkLength) {
    return new Prio3(
        "Prio3SumVec(length=" + length + ", bits=" + bits + ", chunkLength=" + chunkLength + ")",
        ID_SUM_VEC,
        XofAlgorithm.TURBO_SHAKE_128,
        new Circuit.SumVec(Field128.INSTANCE, length, bits, chunkLength),
        1,
        2);
  }

  /**
   * Returns Prio3Histogram (ID 3): bucket counts over {@code length} buckets, over Field128.
   *
   * @param length at least 1
   * @param chunkLength at least 1 (larger than length is allowed: the last gadget call is padded)
   */
  public static Prio3 histogram(int length, int chunkLength) {
    return new Prio3(
        "Prio3Histogram(length=" + length + ", chunkLength=" + chunkLength + ")",
        ID_HISTOGRAM,
        XofAlgorithm.TURBO_SHAKE_128,
        new Circuit.Histogram(length, chunkLength),
        1,
        2);
  }

  /**
   * Returns the draft-08 reference's experimental multiproof SumVec ("Prio3SumVecWithMultiproof", ID
   * 0xFFFFFFFF): SumVec over Field64 with {@code proofs} independent proofs to make up for the smaller field.
   *
   * @param proofs in [2, 255]
   */
  public static Prio3 sumVecMultiproof(int proofs, int length, int bits, int chunkLength) {
    if (proofs < 2 || proofs > 255) {
      throw new IllegalArgumentException("Field64 multiproof SumVec needs proofs in [2, 255], got " + proofs);
    }
    return new Prio3(
        "Prio3SumVecWithMultiproof(proofs=" + proofs + ", length=" + length + ", bits=" + bits
            + ", chunkLength=" + chunkLength + ")",
        ID_EXPERIMENTAL,
        XofAlgorithm.TURBO_SHAKE_128,
        new Circuit.SumVec(Field64.INSTANCE, length, bits, chunkLength),
        proofs,
        2);
  }

  /**
   * Returns Janus's Prio3SumVecField64MultiproofHmacSha256Aes128 (private-use ID 0xFFFF1003, libprio's
   * {@code Prio3<SumVec<Field64, ..>, XofHmacSha256Aes128, 32>}): the SumVec circuit over Field64 with
   * {@code proofs} proofs, on libprio's XofHmacSha256Aes128 in place of TurboSHAKE128, so every seed and the verify
   * key are 32 bytes. Otherwise it is draft-08 Prio3, domain separation tags included.
   *
   * @param proofs in [2, 255]: one proof over Field64 is too weak, which is why Janus refuses it too
   * @param length at least 1
   * @param bits in [1, 63]
   * @param chunkLength at least 1
   */
  public static Prio3 sumVecField64MultiproofHmacSha256Aes128(int proofs, int length, int bits, int chunkLength) {
    if (proofs < 2 || proofs > 255) {
      throw new IllegalArgumentException("Field64 multiproof SumVec needs proofs in [2, 255], got " + proofs);
    }
    return new Prio3(
        "Prio3SumVecField64MultiproofHmacSha256Aes128(proofs=" + proofs + ", length=" + length + ", bits=" + bits
            + ", chunkLength=" + chunkLength + ")",
        ID_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128,
        XofAlgorithm.HMAC_SHA256_AES128,
        new Circuit.SumVec(Field64.INSTANCE, length, bits, chunkLength),
        proofs,
        2);
  }

  /**
   * Returns the draft-08 reference's experimental multi-hot histogram ("Prio3MultiHotHistogram", ID
   * 0xFFFFFFFF): bit vectors of {@code length} entries with at most {@code maxCount} ones, over Field128.
   */
  public static Prio3 multiHotHistogram(int length, int maxCount, int chunkLength) {
    return new Prio3(
        "Prio3MultiHotHistogram(length=" + length + ", maxCount=" + maxCount + ", chunkLength=" + chunkLength
            + ")",
        ID_EXPERIMENTAL,
        XofAlgorithm.TURBO_SHAKE_128,
        new Circuit.MultiHotHistogram(length, maxCount, chunkLength),
        1,
        2);
  }

  /**
   * Returns this VDAF for {@code shares} aggregators (2 by default). DAP and the ping-pong methods need 2.
   *
   * @param shares in [2, 255]
   */
  public Prio3 withShares(int shares) {
    return new Prio3(version, name, algorithmId, xof, circuit, proofs, shares);
  }

  Field field() {
    return field;
  }

  /** Returns the encoded length of the measurement (share) part of the Leader's input share; for tests. */
  int encodedMeasLength() {
    return measLen * field.encodedSize();
  }

  /** Returns the VDAF wire version this instance speaks. */
  public VdafVersion version() {
    return version;
  }

  /** Returns the 32-bit algorithm ID used in domain separation. */
  public int algorithmId() {
    return algorithmId;
  }

  /** Returns the number of aggregators. */
  public int shares() {
    return shares;
  }

  /** Returns the number of proofs. */
  public int proofs() {
    return proofs;
  }

  /**
   * Returns the verify key length in bytes: the XOF's seed size (16 in draft 08, 32 in draft 18 or with
   * XofHmacSha256Aes128).
   */
  public int verifyKeyLength() {
    return seedSize;
  }

  /** Returns the nonce length in bytes (16). */
  public int nonceLength() {
    return NONCE_LENGTH;
  }

  /** Returns the number of random bytes {@link #shard} consumes. */
  public int randLength() {
    int n = (1 + version.helperSeeds() * (shares - 1)) * seedSize;
    return jointRand ? n + shares * seedSize : n;
  }

  /** Returns the length of output shares, aggregate shares and results, in elements. */
  public int outputLength() {
    return outputLen;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Sharding

  /** The client's output: the public share and one input share per aggregator (leader first). */
  public record Shard(byte[] publicShare, List<byte[]> inputShares) {
    /** Copies the arrays. */
    public Shard {
      publicShare = publicShare.clone();
      inputShares = copies(inputShares);
    }

    /** Returns a copy of the public share. */
    @Override
    public byte[] publicShare() {
      return publicShare.clone();
    }

    /** Returns copies of the input shares, leader first. */
    @Override
    public List<byte[]> inputShares() {
      return copies(inputShares);
    }

    /** Compares contents. */
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Shard other) || other.inputShares.size() != inputShares.size()) {
        return false;
      }
      for (int i = 0; i < inputShares.size(); i++) {
        if (!Arrays.equals(inputShares.get(i), other.inputShares.get(i))) {
          return false;
        }
      }
      return Arrays.equals(publicShare, other.publicShare);
    }

    @Override
    public int hashCode() {
      int h = Arrays.hashCode(publicShare);
      for (byte[] share : inputShares) {
        h = 31 * h + Arrays.hashCode(share);
      }
      return h;
    }

    /** Returns the sizes only: input shares are secret. */
    @Override
    public String toString() {
      return "Shard[publicShare=" + publicShare.length + " bytes, inputShares=" + inputShares.size() + "]";
    }

    private static List<byte[]> copies(List<byte[]> shares) {
      List<byte[]> out = new ArrayList<>(shares.size());
      for (byte[] share : shares) {
        out.add(share.clone());
      }
      return List.copyOf(out);
    }
  }

  /** Shards a scalar measurement: {@code shard(new long[] {measurement}, nonce, rand)}. */
  public Shard shard(long measurement, byte[] nonce, byte[] rand) {
    return shard(new long[] {measurement}, nonce, rand);
  }

  /**
   * Shards a measurement into a public share and input shares (the draft's shard).
   *
   * @param measurement see the class comment for each variant's shape
   * @param nonce {@link #nonceLength()} bytes
   * @param rand {@link #randLength()} uniformly random bytes
   * @throws IllegalArgumentException if the measurement is out of range or a length is wrong
   */
  public Shard shard(long[] measurement, byte[] nonce, byte[] rand) {
    return shard(EMPTY, measurement, nonce, rand);
  }

  /**
   * Shards a measurement under the application context {@code ctx} (draft 18's shard; draft 08 has no context,
   * so there it must be empty).
   *
   * @param ctx at most {@link VdafVersion#maxContextLength()} bytes; DAP-18 uses "dap-18" followed by the task ID
   * @param measurement see the class comment for each variant's shape
   * @param nonce {@link #nonceLength()} bytes
   * @param rand {@link #randLength()} uniformly random bytes
   * @throws IllegalArgumentException if the measurement is out of range or a length is wrong
   */
  public Shard shard(byte[] ctx, long[] measurement, byte[] nonce, byte[] rand) {
    checkContext(ctx);
    checkLength("nonce", nonce, NONCE_LENGTH);
    checkLength("rand", rand, randLength());
    long[] meas = field.zeros(measLen);
    circuit.encode(measurement, meas);

    // Each Helper's seeds are cut from rand in the order of its input share: measurement seed, proofs seed
    // (the same seed in draft 18), then blind.
    int helperSeeds = version.helperSeeds();
    int perHelper = helperSeeds + (jointRand ? 1 : 0);
    byte[][] measSeeds = new byte[shares][];
    byte[][] proofSeeds = new byte[shares][];
    byte[][] blinds = new byte[shares][];
    int r = 0;
    for (int j = 1; j < shares; j++) {
      measSeeds[j] = Arrays.copyOfRange(rand, r, r + seedSize);
      proofSeeds[j] = Arrays.copyOfRange(rand, r + (helperSeeds - 1) * seedSize, r + helperSeeds * seedSize);
      if (jointRand) {
        blinds[j] = Arrays.copyOfRange(rand, r + helperSeeds * seedSize, r + (helperSeeds + 1) * seedSize);
      }
      r += perHelper * seedSize;
    }
    if (jointRand) {
      blinds[0] = Arrays.copyOfRange(rand, r, r + seedSize);
      r += seedSize;
    }
    byte[] proveSeed = Arrays.copyOfRange(rand, r, r + seedSize);

    long[] leaderMeas = meas.clone();
    byte[][] parts = jointRand ? new byte[shares][] : null;
    for (int j = 1; j < shares; j++) {
      long[] helperMeas = helperMeasShare(ctx, j, measSeeds[j]);
      field.subVec(leaderMeas, helperMeas, measLen);
      if (jointRand) {
        parts[j] = jointRandPart(ctx, j, blinds[j], helperMeas, nonce);
      }
    }
    long[] jointRands = null;
    if (jointRand) {
      parts[0] = jointRandPart(ctx, 0, blinds[0], leaderMeas, nonce);
      jointRands = jointRands(ctx, jointRandSeed(ctx, parts));
    }
    long[] proveRands = expand(ctx, proveSeed, VdafDraft08.USAGE_PROVE_RANDOMNESS, new byte[] {(byte) proofs},
        circuit.proveRandLen() * proofs);
    long[] leaderProofs = field.zeros(proofLen * proofs);
    for (int i = 0; i < proofs; i++) {
      flp.prove(meas, proveRands, i * circuit.proveRandLen(), jointRands, i * circuit.jointRandLen(),
          leaderProofs, i * proofLen);
    }
    for (int j = 1; j < shares; j++) {
      field.subVec(leaderProofs, helperProofsShare(ctx, j, proofSeeds[j]), proofLen * proofs);
    }

    int es = field.encodedSize();
    List<byte[]> inputShares = new ArrayList<>(shares);
    byte[] leader = new byte[(measLen + proofLen * proofs) * es + (jointRand ? seedSize : 0)];
    field.encode(leaderMeas, 0, measLen, leader, 0);
    field.encode(leaderProofs, 0, proofLen * proofs, leader, measLen * es);
    if (jointRand) {
      System.arraycopy(blinds[0], 0, leader, leader.length - seedSize, seedSize);
    }
    inputShares.add(leader);
    for (int j = 1; j < shares; j++) {
      byte[] helper = new byte[helperInputShareLength()];
      System.arraycopy(measSeeds[j], 0, helper, 0, seedSize);
      System.arraycopy(proofSeeds[j], 0, helper, (helperSeeds - 1) * seedSize, seedSize);
      if (jointRand) {
        System.arraycopy(blinds[j], 0, helper, helperSeeds * seedSize, seedSize);
      }
      inputShares.add(helper);
    }
    byte[] publicShare = new byte[jointRand ? shares * seedSize : 0];
    if (jointRand) {
      for (int j = 0; j < shares; j++) {
        System.arraycopy(parts[j], 0, publicShare, j * seedSize, seedSize);
      }
    }
    return new Shard(publicShare, inputShares);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Preparation

  /** The result of {@link #prepInit}: the encoded prep state (kept) and prep share (sent). */
  public record PrepInit(byte[] prepState, byte[] prepShare) {
    /** Copies the arrays. */
    public PrepInit {
      prepState = prepState.clone();
      prepShare = prepShare.clone();
    }

    /** Returns a copy of the encoded prep state. */
    @Override
    public byte[] prepState() {
      return prepState.clone();
    }

    /** Returns a copy of the encoded prep share. */
    @Override
    public byte[] prepShare() {
      return prepShare.clone();
    }

    /** Compares contents. */
    @Override
    public boolean equals(Object o) {
      return o instanceof PrepInit other
          && Arrays.equals(prepState, other.prepState)
          && Arrays.equals(prepShare, other.prepShare);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(prepState) + Arrays.hashCode(prepShare);
    }

    /** Returns the sizes only: the prep state holds an output share. */
    @Override
    public String toString() {
      return "PrepInit[prepState=" + prepState.length + " bytes, prepShare=" + prepShare.length + " bytes]";
    }
  }

  /**
   * Starts preparation of one report by aggregator {@code aggregatorId} (the draft's prep_init): expands the
   * input share, computes the verifier share and, when the circuit uses joint randomness, this aggregator's joint
   * randomness part and the corrected joint randomness seed.
   *
   * <p>The returned prep state encodes the output share followed by the corrected seed; it can be stored and
   * passed to {@link #prepNext} later.
   *
   * @throws VdafException if the public share or input share is malformed, or the query randomness is degenerate
   */
  public PrepInit prepInit(byte[] verifyKey, int aggregatorId, byte[] nonce, byte[] publicShare, byte[] inputShare)
      throws VdafException {
    return prepInit(verifyKey, EMPTY, aggregatorId, nonce, publicShare, inputShare);
  }

  /**
   * As {@link #prepInit(byte[], int, byte[], byte[], byte[])} under the application context {@code ctx} (draft
   * 18's verify_init; it must be empty for draft 08).
   *
   * @throws VdafException if the public share or input share is malformed, or the query randomness is degenerate
   */
  public PrepInit prepInit(
      byte[] verifyKey, byte[] ctx, int aggregatorId, byte[] nonce, byte[] publicShare, byte[] inputShare)
      throws VdafException {
    Prepared p = prepare(verifyKey, ctx, aggregatorId, nonce, publicShare, inputShare);
    return new PrepInit(encodePrepState(p.outShare, p.correctedSeed), encodePrepShare(p.verifiers, p.part));
  }

  /**
   * Combines all aggregators' prep shares, in aggregator order, into the prep message (prep_shares_to_prep):
   * checks every proof and derives the joint randomness seed.
   *
   * @throws VdafException if a prep share is malformed or a proof is rejected
   */
  public byte[] prepSharesToPrep(List<byte[]> prepShares) throws VdafException {
    return prepSharesToPrep(EMPTY, prepShares);
  }

  /**
   * As {@link #prepSharesToPrep(List)} under the application context {@code ctx} (draft 18's
   * verifier_shares_to_message; it must be empty for draft 08).
   *
   * @throws VdafException if a prep share is malformed or a proof is rejected
   */
  public byte[] prepSharesToPrep(byte[] ctx, List<byte[]> prepShares) throws VdafException {
    checkContext(ctx);
    if (prepShares.size() != shares) {
      throw new IllegalArgumentException("need " + shares + " prep shares, got " + prepShares.size());
    }
    long[] verifiers = field.zeros(verifierLen * proofs);
    byte[][] parts = jointRand ? new byte[shares][] : null;
    long[] share = field.zeros(verifierLen * proofs);
    for (int j = 0; j < shares; j++) {
      byte[] part = decodePrepShare(prepShares.get(j), share);
      field.addVec(verifiers, share, verifierLen * proofs);
      if (jointRand) {
        parts[j] = part;
      }
    }
    return combine(ctx, verifiers, parts);
  }

  private byte[] combine(byte[] ctx, long[] verifiers, byte[][] parts) throws VdafException {
    for (int i = 0; i < proofs; i++) {
      if (!flp.decide(verifiers, i * verifierLen)) {
        throw new VdafException("proof verification failed");
      }
    }
    return jointRand ? jointRandSeed(ctx, parts) : new byte[0];
  }

  /**
   * Finishes preparation (prep_next): checks the prep message against the prep state and returns the output
   * share.
   *
   * @throws VdafException if the state or message is malformed, or the joint randomness check fails
   */
  public OutputShare prepNext(byte[] prepState, byte[] prepMessage) throws VdafException {
    int es = field.encodedSize();
    int expected = outputLen * es + (jointRand ? seedSize : 0);
    if (prepState.length != expected) {
      throw new VdafException("prep state must be " + expected + " bytes, got " + prepState.length);
    }
    long[] out = field.zeros(outputLen);
    if (!field.decode(prepState, 0, outputLen, out, 0)) {
      throw new VdafException("prep state holds a non-canonical field element");
    }
    if (prepMessage.length != (jointRand ? seedSize : 0)) {
      throw new VdafException("prep message has wrong length " + prepMessage.length);
    }
    if (jointRand
        && !MessageDigest.isEqual(
            Arrays.copyOfRange(prepState, outputLen * es, prepState.length), prepMessage)) {
      throw new VdafException("joint randomness check failed");
    }
    return new OutputShare(this, out);
  }

  /**
   * Checks that a public share and the input share of aggregator {@code aggregatorId} decode, without running
   * the FLP: exact lengths, canonical field elements in the Leader's measurement and proof shares, and the seed
   * sizes of a Helper's share. It costs a small fraction of {@link #prepInit}, so an aggregator can refuse an
   * undecodable upload early; a report that passes may still fail verification later.
   *
   * @param aggregatorId in [0, {@link #shares()}); 0 is the Leader
   * @throws VdafException if either share is malformed
   * @throws IllegalArgumentException if {@code aggregatorId} is out of range
   */
  public void checkInputShare(int aggregatorId, byte[] publicShare, byte[] inputShare) throws VdafException {
    checkAggregatorId(aggregatorId);
    decodePublicShare(publicShare);
    if (aggregatorId == 0) {
      checkLeaderShareLength(inputShare);
      if (!field.isCanonical(inputShare, 0, measLen + proofLen * proofs)) {
        throw new VdafException("leader input share holds a non-canonical field element");
      }
    } else {
      checkHelperShareLength(inputShare);
    }
  }

  private record Prepared(long[] outShare, byte[] correctedSeed, long[] verifiers, byte[] part) {}

  private Prepared prepare(
      byte[] verifyKey, byte[] ctx, int aggId, byte[] nonce, byte[] publicShare, byte[] inputShare)
      throws VdafException {
    checkContext(ctx);
    checkLength("verify key", verifyKey, seedSize);
    checkLength("nonce", nonce, NONCE_LENGTH);
    checkAggregatorId(aggId);
    byte[][] parts = decodePublicShare(publicShare);
    long[] meas;
    long[] proofsShare;
    byte[] blind = null;
    if (aggId == 0) {
      meas = field.zeros(measLen);
      proofsShare = field.zeros(proofLen * proofs);
      decodeLeaderShare(inputShare, meas, proofsShare);
      if (jointRand) {
        blind = Arrays.copyOfRange(inputShare, inputShare.length - seedSize, inputShare.length);
      }
    } else {
      checkHelperShareLength(inputShare);
      int helperSeeds = version.helperSeeds();
      meas = helperMeasShare(ctx, aggId, Arrays.copyOfRange(inputShare, 0, seedSize));
      proofsShare = helperProofsShare(ctx, aggId,
          Arrays.copyOfRange(inputShare, (helperSeeds - 1) * seedSize, helperSeeds * seedSize));
      if (jointRand) {
        blind = Arrays.copyOfRange(inputShare, helperSeeds * seedSize, (helperSeeds + 1) * seedSize);
      }
    }
    long[] outShare = field.zeros(outputLen);
    circuit.truncate(meas, outShare);

    byte[] part = null;
    byte[] corrected = null;
    long[] jointRands = null;
    if (jointRand) {
      part = jointRandPart(ctx, aggId, blind, meas, nonce);
      parts[aggId] = part;
      corrected = jointRandSeed(ctx, parts);
      jointRands = jointRands(ctx, corrected);
    }
    byte[] binder = new byte[1 + NONCE_LENGTH];
    binder[0] = (byte) proofs;
    System.arraycopy(nonce, 0, binder, 1, NONCE_LENGTH);
    long[] queryRands = expand(ctx, verifyKey, VdafDraft08.USAGE_QUERY_RANDOMNESS, binder,
        circuit.queryRandLen() * proofs);
    long[] verifiers = field.zeros(verifierLen * proofs);
    for (int i = 0; i < proofs; i++) {
      flp.query(meas, proofsShare, i * proofLen, queryRands, i * circuit.queryRandLen(), jointRands,
          i * circuit.jointRandLen(), shares, verifiers, i * verifierLen);
    }
    return new Prepared(outShare, corrected, verifiers, part);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Ping-pong topology (section 5.8), two aggregators

  /** The Leader's state after {@link #leaderInitialized}: the encoded prep state and the message to send. */
  public record LeaderInitialized(byte[] prepState, byte[] message) {
    /** Copies the arrays. */
    public LeaderInitialized {
      prepState = prepState.clone();
      message = message.clone();
    }

    /** Returns a copy of the encoded prep state, to keep (for example in the database) until the reply. */
    @Override
    public byte[] prepState() {
      return prepState.clone();
    }

    /** Returns a copy of the encoded ping-pong {@code initialize} message for the Helper. */
    @Override
    public byte[] message() {
      return message.clone();
    }

    /** Compares contents. */
    @Override
    public boolean equals(Object o) {
      return o instanceof LeaderInitialized other
          && Arrays.equals(prepState, other.prepState)
          && Arrays.equals(message, other.message);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(prepState) + Arrays.hashCode(message);
    }

    /** Returns the sizes only: the prep state holds an output share. */
    @Override
    public String toString() {
      return "LeaderInitialized[prepState=" + prepState.length + " bytes, message=" + message.length + " bytes]";
    }
  }

  /** The Helper's result of {@link #helperInitialized}: its output share and the message for the Leader. */
  public record HelperInitialized(OutputShare outputShare, byte[] message) {
    /** Copies the message. */
    public HelperInitialized {
      message = message.clone();
    }

    /** Returns a copy of the encoded ping-pong {@code finish} message for the Leader. */
    @Override
    public byte[] message() {
      return message.clone();
    }

    /** Compares the message contents and the output share by identity (output shares have no value equality). */
    @Override
    public boolean equals(Object o) {
      return o instanceof HelperInitialized other
          && outputShare == other.outputShare
          && Arrays.equals(message, other.message);
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(outputShare) + Arrays.hashCode(message);
    }

    /** Returns the sizes only. */
    @Override
    public String toString() {
      return "HelperInitialized[" + outputShare + ", message=" + message.length + " bytes]";
    }
  }

  /**
   * The Leader's initial transition (ping_pong_leader_init): prep_init as aggregator 0, then an
   * {@code initialize} message carrying the prep share.
   *
   * @throws VdafException if the report is malformed (the Leader's state would be Rejected)
   */
  public LeaderInitialized leaderInitialized(byte[] verifyKey, byte[] nonce, byte[] publicShare, byte[] inputShare)
      throws VdafException {
    return leaderInitialized(verifyKey, EMPTY, nonce, publicShare, inputShare);
  }

  /**
   * As {@link #leaderInitialized(byte[], byte[], byte[], byte[])} under the application context {@code ctx}
   * (empty for draft 08).
   *
   * @throws VdafException if the report is malformed (the Leader's state would be Rejected)
   */
  public LeaderInitialized leaderInitialized(
      byte[] verifyKey, byte[] ctx, byte[] nonce, byte[] publicShare, byte[] inputShare) throws VdafException {
    requireTwoShares();
    Prepared p = prepare(verifyKey, ctx, 0, nonce, publicShare, inputShare);
    return new LeaderInitialized(
        encodePrepState(p.outShare, p.correctedSeed),
        PingPong.initialize(encodePrepShare(p.verifiers, p.part)));
  }

  /**
   * The Helper's transition on the Leader's {@code initialize} message (ping_pong_helper_init): prep_init as
   * aggregator 1, combines both prep shares into the prep message, finishes, and answers {@code finish}.
   * Prio3 has one round, so the Helper is Finished here.
   *
   * @throws VdafException if the report or the message is malformed or verification fails (Rejected)
   */
  public HelperInitialized helperInitialized(
      byte[] verifyKey, byte[] nonce, byte[] publicShare, byte[] inputShare, byte[] inbound)
      throws VdafException {
    return helperInitialized(verifyKey, EMPTY, nonce, publicShare, inputShare, inbound);
  }

  /**
   * As {@link #helperInitialized(byte[], byte[], byte[], byte[], byte[])} under the application context
   * {@code ctx} (empty for draft 08).
   *
   * @throws VdafException if the report or the message is malformed or verification fails (Rejected)
   */
  public HelperInitialized helperInitialized(
      byte[] verifyKey, byte[] ctx, byte[] nonce, byte[] publicShare, byte[] inputShare, byte[] inbound)
      throws VdafException {
    requireTwoShares();
    Prepared p = prepare(verifyKey, ctx, 1, nonce, publicShare, inputShare);
    PingPong.Message msg = PingPong.decode(inbound);
    if (msg.type() != PingPong.INITIALIZE) {
      throw new VdafException("Helper expected a ping-pong initialize message, got type " + msg.type());
    }
    long[] verifiers = field.zeros(verifierLen * proofs);
    byte[] leaderPart = decodePrepShare(msg.prepShare(), verifiers);
    field.addVec(verifiers, p.verifiers, verifierLen * proofs);
    byte[] prepMessage = combine(ctx, verifiers, jointRand ? new byte[][] {leaderPart, p.part} : null);
    OutputShare out = prepNext(encodePrepState(p.outShare, p.correctedSeed), prepMessage);
    return new HelperInitialized(out, PingPong.finish(prepMessage));
  }

  /**
   * The Leader's transition on the Helper's reply (ping_pong_leader_continued): for Prio3 the reply must be
   * {@code finish} with the prep message, which completes preparation.
   *
   * @param prepState the state from {@link #leaderInitialized}
   * @throws VdafException if the state or message is malformed or the joint randomness check fails (Rejected)
   */
  public OutputShare leaderContinued(byte[] prepState, byte[] inbound) throws VdafException {
    requireTwoShares();
    PingPong.Message msg = PingPong.decode(inbound);
    if (msg.type() != PingPong.FINISH) {
      throw new VdafException("Leader expected a ping-pong finish message, got type " + msg.type());
    }
    return prepNext(prepState, msg.prepMessage());
  }

  private void requireTwoShares() {
    if (shares != 2) {
      throw new IllegalStateException("the ping-pong topology needs exactly 2 aggregators, not " + shares);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Aggregation

  /** Returns an empty aggregate share (agg_init) for this VDAF. */
  public AggregateShare aggregateShare() {
    return new AggregateShare(this, field.zeros(outputLen));
  }

  /**
   * Decodes an aggregate share of this VDAF.
   *
   * @throws VdafException if the length is wrong or an element is not canonical
   */
  public AggregateShare decodeAggregateShare(byte[] encoded) throws VdafException {
    return new AggregateShare(this, decodeVector("aggregate share", encoded));
  }

  /**
   * Decodes an output share of this VDAF.
   *
   * @throws VdafException if the length is wrong or an element is not canonical
   */
  public OutputShare decodeOutputShare(byte[] encoded) throws VdafException {
    return new OutputShare(this, decodeVector("output share", encoded));
  }

  private long[] decodeVector(String what, byte[] encoded) throws VdafException {
    int expected = outputLen * field.encodedSize();
    if (encoded.length != expected) {
      throw new VdafException(what + " must be " + expected + " bytes, got " + encoded.length);
    }
    long[] v = field.zeros(outputLen);
    if (!field.decode(encoded, 0, outputLen, v, 0)) {
      throw new VdafException(what + " holds a non-canonical field element");
    }
    return v;
  }

  /**
   * Computes the aggregate result from every aggregator's encoded aggregate share (unshard).
   *
   * @param numMeasurements the number of reports aggregated (non-negative; not needed by these variants' decode)
   * @return the sums: one element for Count and Sum, one per entry or bucket otherwise
   * @throws VdafException if a share is malformed or a sum does not fit in a non-negative long
   */
  public long[] unshard(List<byte[]> aggregateShares, long numMeasurements) throws VdafException {
    if (aggregateShares.size() != shares) {
      throw new IllegalArgumentException("need " + shares + " aggregate shares, got " + aggregateShares.size());
    }
    if (numMeasurements < 0) {
      throw new IllegalArgumentException("negative number of measurements");
    }
    long[] agg = field.zeros(outputLen);
    for (byte[] share : aggregateShares) {
      field.addVec(agg, decodeVector("aggregate share", share), outputLen);
    }
    long[] result = new long[outputLen];
    for (int i = 0; i < outputLen; i++) {
      result[i] = field.toLong(agg, i);
      if (result[i] < 0) {
        throw new VdafException("aggregate entry " + i + " does not fit in a signed 64-bit integer");
      }
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Encodings and auxiliary functions (section 7.2.6, 7.2.7)

  private int helperInputShareLength() {
    return (version.helperSeeds() + (jointRand ? 1 : 0)) * seedSize;
  }

  private void checkAggregatorId(int aggId) {
    if (aggId < 0 || aggId >= shares) {
      throw new IllegalArgumentException("aggregator ID must be in [0, " + shares + "), got " + aggId);
    }
  }

  /** Decodes the Leader's measurement and proof shares into the given arrays; the blind, if any, is left. */
  private void decodeLeaderShare(byte[] inputShare, long[] meas, long[] proofsShare) throws VdafException {
    checkLeaderShareLength(inputShare);
    int es = field.encodedSize();
    if (!field.decode(inputShare, 0, measLen, meas, 0)
        || !field.decode(inputShare, measLen * es, proofLen * proofs, proofsShare, 0)) {
      throw new VdafException("leader input share holds a non-canonical field element");
    }
  }

  /** The Leader's share is its measurement share, its proofs share and, with joint randomness, its blind. */
  private void checkLeaderShareLength(byte[] inputShare) throws VdafException {
    int expected = (measLen + proofLen * proofs) * field.encodedSize() + (jointRand ? seedSize : 0);
    if (inputShare.length != expected) {
      throw new VdafException("leader input share must be " + expected + " bytes, got " + inputShare.length);
    }
  }

  /** A Helper's input share is only seeds (measurement, proofs, blind): any bytes of the right length decode. */
  private void checkHelperShareLength(byte[] inputShare) throws VdafException {
    if (inputShare.length != helperInputShareLength()) {
      throw new VdafException(
          "helper input share must be " + helperInputShareLength() + " bytes, got " + inputShare.length);
    }
  }

  private byte[] encodePrepState(long[] outShare, byte[] correctedSeed) {
    int es = field.encodedSize();
    byte[] out = new byte[outputLen * es + (jointRand ? seedSize : 0)];
    field.encode(outShare, 0, outputLen, out, 0);
    if (jointRand) {
      System.arraycopy(correctedSeed, 0, out, outputLen * es, seedSize);
    }
    return out;
  }

  private byte[] encodePrepShare(long[] verifiers, byte[] part) {
    int es = field.encodedSize();
    byte[] out = new byte[verifierLen * proofs * es + (jointRand ? seedSize : 0)];
    field.encode(verifiers, 0, verifierLen * proofs, out, 0);
    if (jointRand) {
      System.arraycopy(part, 0, out, out.length - seedSize, seedSize);
    }
    return out;
  }

  /** Decodes a prep share into {@code verifiers}; returns its joint randomness part (null without). */
  private byte[] decodePrepShare(byte[] encoded, long[] verifiers) throws VdafException {
    int n = verifierLen * proofs;
    int expected = n * field.encodedSize() + (jointRand ? seedSize : 0);
    if (encoded.length != expected) {
      throw new VdafException("prep share must be " + expected + " bytes, got " + encoded.length);
    }
    if (!field.decode(encoded, 0, n, verifiers, 0)) {
      throw new VdafException("prep share holds a non-canonical field element");
    }
    return jointRand ? Arrays.copyOfRange(encoded, expected - seedSize, expected) : null;
  }

  private byte[][] decodePublicShare(byte[] encoded) throws VdafException {
    int expected = jointRand ? shares * seedSize : 0;
    if (encoded.length != expected) {
      throw new VdafException("public share must be " + expected + " bytes, got " + encoded.length);
    }
    if (!jointRand) {
      return null;
    }
    byte[][] parts = new byte[shares][];
    for (int j = 0; j < shares; j++) {
      parts[j] = Arrays.copyOfRange(encoded, j * seedSize, (j + 1) * seedSize);
    }
    return parts;
  }

  private byte[] dst(int usage, byte[] ctx) {
    return version.dst(algorithmId, usage, ctx);
  }

  private void checkContext(byte[] ctx) {
    if (ctx.length > version.maxContextLength()) {
      throw new IllegalArgumentException(version == VdafVersion.DRAFT_08
          ? "VDAF draft 08 has no application context"
          : "application context longer than " + version.maxContextLength() + " bytes");
    }
  }

  private long[] expand(byte[] ctx, byte[] seed, int usage, byte[] binder, int n) {
    Xof x = xof.start(seed, dst(usage, ctx));
    x.absorb(binder);
    long[] v = field.zeros(n);
    x.nextVec(field, v, 0, n);
    return v;
  }

  private long[] helperMeasShare(byte[] ctx, int aggId, byte[] seed) {
    return expand(ctx, seed, VdafDraft08.USAGE_MEAS_SHARE, new byte[] {(byte) aggId}, measLen);
  }

  private long[] helperProofsShare(byte[] ctx, int aggId, byte[] seed) {
    return expand(ctx, seed, VdafDraft08.USAGE_PROOF_SHARE, new byte[] {(byte) proofs, (byte) aggId},
        proofLen * proofs);
  }

  private byte[] jointRandPart(byte[] ctx, int aggId, byte[] blind, long[] measShare, byte[] nonce) {
    Xof x = xof.start(blind, dst(VdafDraft08.USAGE_JOINT_RAND_PART, ctx));
    x.absorb(aggId);
    x.absorb(nonce);
    byte[] encoded = new byte[measLen * field.encodedSize()];
    field.encode(measShare, 0, measLen, encoded, 0);
    x.absorb(encoded);
    return x.next(seedSize);
  }

  private byte[] jointRandSeed(byte[] ctx, byte[][] parts) {
    Xof x = xof.start(new byte[seedSize], dst(VdafDraft08.USAGE_JOINT_RAND_SEED, ctx));
    for (byte[] part : parts) {
      x.absorb(part);
    }
    return x.next(seedSize);
  }

  private long[] jointRands(byte[] ctx, byte[] seed) {
    return expand(ctx, seed, VdafDraft08.USAGE_JOINT_RANDOMNESS, new byte[] {(byte) proofs},
        circuit.jointRandLen() * proofs);
  }

  private static void checkLength(String what, byte[] b, int expected) {
    if (b.length != expected) {
      throw new IllegalArgumentException(what + " must be " + expected + " bytes, got " + b.length);
    }
  }

  /** Two instances are equal when they have the same variant, parameters and number of aggregators. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Prio3 other
        && other.version == version
        && other.name.equals(name)
        && other.shares == shares;
  }

  @Override
  public int hashCode() {
    return (version.hashCode() * 31 + name.hashCode()) * 31 + shares;
  }

  /**
   * Returns the variant and its parameters, for example {@code Prio3Sum(bits=8), shares=2}; draft-18 instances end
   * in {@code , VDAF-18}.
   */
  @Override
  public String toString() {
    String s = name + ", shares=" + shares;
    return version == VdafVersion.DRAFT_08 ? s : s + ", VDAF-18";
  }
}
