package io.janus.vdaf.internal;

/**
 * A validity circuit ("Valid", draft-irtf-cfrg-vdaf-08 section 7.3.2, draft-irtf-cfrg-vdaf-18 section 7.3.2)
 * together with the measurement encoding and output truncation of its Prio3 instantiation.
 *
 * <p>A draft-08 circuit outputs one element, folding its checks together with joint randomness. A draft-18
 * circuit may output {@link #evalOutputLen()} elements, which the FLP folds with query randomness instead.
 *
 * <p>{@link #eval} never computes a gadget itself: it hands every gadget call to a {@link GadgetOracle}, which the
 * prover answers by evaluating the gadget and the verifier by evaluating the gadget polynomial from the proof.
 */
public abstract sealed class Circuit
    permits Circuit.Count, Circuit.Sum, Circuit.SumVec, Circuit.Histogram, Circuit.MultiHotHistogram,
        Circuit.SumDraft18, Circuit.SumVecDraft18, Circuit.HistogramDraft18, Circuit.MultihotCountVec,
        Circuit.HigherDegree {
  /** Upper bound on the encoded measurement length, keeping every derived length far from int overflow. */
  public static final int MAX_MEAS_LEN = 1 << 22;

  /** Answers gadget calls made by {@link #eval}. */
  public interface GadgetOracle {
    /**
     * Handles a call of gadget {@code gadget} on {@code in[inOff .. inOff+arity)}, writing its output to
     * {@code out[oi]}.
     */
    void call(int gadget, long[] in, int inOff, long[] out, int oi);
  }

  final Field field;
  final int measLen;
  final int jointRandLen;
  final int outputLen;
  final int evalOutputLen;
  final Gadget[] gadgets;
  final int[] calls;
  /** 2^l for l in [0, 63], as field elements, for {@link #decodeBits}. */
  private final long[] pow2;
  /**
   * The last 1/numShares this instance computed. Eval is called with the same share count every time in practice,
   * so caching one value removes a field inversion per evaluation; the holder's final fields make a racy read safe.
   */
  private ShareInverse shareInverse;

  /** An immutable (numShares, 1/numShares) pair. */
  private record ShareInverse(int numShares, long[] inverse) {}

  private static final long[] POW2_FIELD64 = powersOfTwo(Field64.INSTANCE);
  private static final long[] POW2_FIELD128 = powersOfTwo(Field128.INSTANCE);

  Circuit(Field field, int measLen, int jointRandLen, int outputLen, Gadget[] gadgets, int[] calls) {
    this(field, measLen, jointRandLen, outputLen, 1, gadgets, calls);
  }

  Circuit(Field field, int measLen, int jointRandLen, int outputLen, int evalOutputLen, Gadget[] gadgets,
      int[] calls) {
    this.evalOutputLen = evalOutputLen;
    this.pow2 = field instanceof Field64 ? POW2_FIELD64 : POW2_FIELD128;
    this.field = field;
    this.measLen = measLen;
    this.jointRandLen = jointRandLen;
    this.outputLen = outputLen;
    this.gadgets = gadgets;
    this.calls = calls;
  }

  /** Returns the field of the circuit. */
  public final Field field() {
    return field;
  }

  /** Returns the length of the encoded measurement. */
  public final int measLen() {
    return measLen;
  }

  /** Returns the number of joint randomness elements per proof. */
  public final int jointRandLen() {
    return jointRandLen;
  }

  /** Returns the length of the output share. */
  public final int outputLen() {
    return outputLen;
  }

  /** Returns the number of elements {@link #eval} writes. */
  public final int evalOutputLen() {
    return evalOutputLen;
  }

  /** Returns the number of prover randomness elements per proof. */
  public final int proveRandLen() {
    int n = 0;
    for (Gadget g : gadgets) {
      n += g.arity();
    }
    return n;
  }

  /**
   * Returns the number of query randomness elements per proof: one test point per gadget and, for a circuit with
   * several outputs, one coefficient per output to fold them (always 1 output in draft 08).
   */
  public final int queryRandLen() {
    return gadgets.length + (evalOutputLen > 1 ? evalOutputLen : 0);
  }

  /** Returns the proof length in field elements. */
  public final int proofLen() {
    int n = 0;
    for (int i = 0; i < gadgets.length; i++) {
      int p = Integer.highestOneBit(calls[i]) << 1; // next power of two >= 1 + calls
      n += gadgets[i].arity() + gadgets[i].degree() * (p - 1) + 1;
    }
    return n;
  }

  /** Returns the verifier length in field elements. */
  public final int verifierLen() {
    int n = 1;
    for (Gadget g : gadgets) {
      n += g.arity() + 1;
    }
    return n;
  }

  /**
   * Encodes a measurement into {@code out} (a zero vector of {@link #measLen()} elements).
   *
   * @throws IllegalArgumentException if the measurement is out of range for this circuit
   */
  public abstract void encode(long[] measurement, long[] out);

  /** Writes the output share of {@code meas} into {@code out} (a zero vector of {@link #outputLen()}). */
  public abstract void truncate(long[] meas, long[] out);

  /**
   * Evaluates the circuit on {@code meas} with joint randomness {@code jointRand[jrOff ..]} for a measurement
   * (or share) split into {@code numShares} shares, writing the {@link #evalOutputLen()} results to
   * {@code out[oi ..]}.
   */
  public abstract void eval(
      long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi);

  /** Writes sum_l 2^l * bits[off + l] for l in [0, n), n in [1, 63], to out[oi]; {@code out} is not {@code bits}. */
  final void decodeBits(long[] bits, int off, int n, long[] out, int oi) {
    field.copy(bits, off, out, oi); // 2^0 = 1: a 1-bit entry is a plain copy
    for (int l = 1; l < n; l++) {
      field.mulAdd(pow2, l, bits, off + l, out, oi);
    }
  }

  private static long[] powersOfTwo(Field f) {
    long[] p = f.zeros(64);
    f.set(p, 0, 1);
    for (int l = 1; l < 64; l++) {
      f.add(p, l - 1, p, l - 1, p, l);
    }
    return p;
  }

  /** Prio3Histogram's encoding in both drafts: a one at the bucket index of the single-element measurement. */
  final void encodeOneHot(long[] measurement, long[] out) {
    if (measurement.length != 1 || measurement[0] < 0 || measurement[0] >= measLen) {
      throw new IllegalArgumentException("Prio3Histogram measurement must be a bucket index in [0, " + measLen + ")");
    }
    field.set(out, (int) measurement[0], 1);
  }

  /**
   * Prio3Histogram's sum check in both drafts: writes to r[ri] the sum of this share's {@code measLen} entries minus
   * this share's part of 1 (1/numShares), which the shares sum to 0 exactly when the vector has one 1.
   */
  final void oneHotSumCheck(long[] meas, int numShares, long[] r, int ri) {
    shareInverse(numShares, r, ri);
    field.neg(r, ri, r, ri);
    for (int i = 0; i < measLen; i++) {
      field.add(r, ri, meas, i, r, ri);
    }
  }

  /** Writes 1/numShares to r[ri], inverting only when the share count differs from the previous call's. */
  final void shareInverse(int numShares, long[] r, int ri) {
    ShareInverse c = shareInverse;
    if (c == null || c.numShares() != numShares) {
      long[] inv = field.zeros(1);
      field.set(inv, 0, numShares);
      field.inv(inv, 0, inv, 0);
      c = new ShareInverse(numShares, inv);
      shareInverse = c;
    }
    field.copy(c.inverse(), 0, r, ri);
  }

  static void checkBits(int bits) {
    if (bits < 1 || bits > 63) {
      throw new IllegalArgumentException("bits must be in [1, 63], got " + bits);
    }
  }

  static int checkedMeasLen(long len) {
    if (len < 1 || len > MAX_MEAS_LEN) {
      throw new IllegalArgumentException("encoded measurement length must be in [1, " + MAX_MEAS_LEN + "]");
    }
    return (int) len;
  }

  /**
   * Checks a chunk length. As in the draft and libprio-rs, it may exceed the measurement length (the last gadget
   * call is then padded); the upper bound only keeps gadget arity allocations sane.
   */
  static int checkChunkLength(int chunkLength) {
    if (chunkLength < 1 || chunkLength > MAX_MEAS_LEN) {
      throw new IllegalArgumentException(
          "chunk length must be in [1, " + MAX_MEAS_LEN + "], got " + chunkLength);
    }
    return chunkLength;
  }

  /**
   * The chunked bit check shared by SumVec, Histogram and MultiHotHistogram: sum over calls of ParallelSum(Mul)
   * on (r^k * m_k, m_k - 1/shares), padding past the end of the measurement with zeros.
   */
  final void chunkedRangeCheck(
      long[] meas, long[] jointRand, int rIdx, int numShares, int chunk, GadgetOracle oracle, long[] out, int oi) {
    Field f = field;
    long[] inputs = f.zeros(2 * chunk);
    long[] t = f.zeros(4); // [0] r^k, [1] 1/shares, [2] gadget output, [3] accumulator
    f.copy(jointRand, rIdx, t, 0);
    shareInverse(numShares, t, 1);
    int n = calls[0];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < chunk; j++) {
        int idx = i * chunk + j;
        if (idx < measLen) {
          f.mul(t, 0, meas, idx, inputs, 2 * j);
          f.sub(meas, idx, t, 1, inputs, 2 * j + 1);
        } else {
          f.set(inputs, 2 * j, 0);
          f.neg(t, 1, inputs, 2 * j + 1);
        }
        f.mul(t, 0, jointRand, rIdx, t, 0);
      }
      oracle.call(0, inputs, 0, t, 2);
      f.add(t, 3, t, 2, t, 3);
    }
    f.copy(t, 3, out, oi);
  }

  /** Prio3Count's circuit: m * m - m over Field64. */
  public static final class Count extends Circuit {
    /** Creates the circuit. */
    public Count() {
      super(Field64.INSTANCE, 1, 0, 1, new Gadget[] {new Gadget.Mul()}, new int[] {1});
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      if (measurement.length != 1 || (measurement[0] != 0 && measurement[0] != 1)) {
        throw new IllegalArgumentException("Prio3Count measurement must be 0 or 1");
      }
      field.set(out, 0, measurement[0]);
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      field.copy(meas, 0, out, 0);
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      long[] in = field.zeros(3);
      field.copy(meas, 0, in, 0);
      field.copy(meas, 0, in, 1);
      oracle.call(0, in, 0, in, 2);
      field.sub(in, 2, meas, 0, out, oi);
    }
  }

  /** Prio3Sum's circuit: a Range2 check of each bit, weighted by powers of the joint randomness, over Field128. */
  public static final class Sum extends Circuit {
    private final int bits;

    /** Creates the circuit for measurements in [0, 2^bits), bits in [1, 63]. */
    public Sum(int bits) {
      super(Field128.INSTANCE, bitsChecked(bits), 1, 1, new Gadget[] {new Gadget.Range2()}, new int[] {bits});
      this.bits = bits;
    }

    private static int bitsChecked(int bits) {
      checkBits(bits);
      return bits;
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      if (measurement.length != 1 || measurement[0] < 0 || (bits < 63 && measurement[0] >= 1L << bits)) {
        throw new IllegalArgumentException("Prio3Sum measurement must be in [0, 2^" + bits + ")");
      }
      for (int l = 0; l < bits; l++) {
        field.set(out, l, (measurement[0] >>> l) & 1);
      }
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      decodeBits(meas, 0, bits, out, 0);
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      long[] t = field.zeros(3); // [0] r^(l+1), [1] gadget output, [2] accumulator
      field.copy(jointRand, jrOff, t, 0);
      for (int l = 0; l < bits; l++) {
        oracle.call(0, meas, l, t, 1);
        field.mulAdd(t, 0, t, 1, t, 2);
        field.mul(t, 0, jointRand, jrOff, t, 0);
      }
      field.copy(t, 2, out, oi);
    }
  }

  /** Prio3SumVec's circuit: each of {@code length} entries in [0, 2^bits), bits checked in chunks. */
  public static final class SumVec extends Circuit {
    private final int length;
    private final int bits;
    private final int chunkLength;

    /** Creates the circuit over {@code field} (Field128 for Prio3SumVec, Field64 for the multiproof variant). */
    public SumVec(Field field, int length, int bits, int chunkLength) {
      this(field, length, bits, chunkLength, measLenOf(length, bits));
    }

    private SumVec(Field field, int length, int bits, int chunkLength, int measLen) {
      super(field, measLen, 1, length,
          new Gadget[] {new Gadget.ParallelSum(new Gadget.Mul(), checkChunkLength(chunkLength))},
          new int[] {(measLen + chunkLength - 1) / chunkLength});
      this.length = length;
      this.bits = bits;
      this.chunkLength = chunkLength;
    }

    private static int measLenOf(int length, int bits) {
      checkBits(bits);
      if (length < 1) {
        throw new IllegalArgumentException("length must be positive, got " + length);
      }
      return checkedMeasLen((long) length * bits);
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      if (measurement.length != length) {
        throw new IllegalArgumentException(
            "Prio3SumVec measurement must have " + length + " entries, got " + measurement.length);
      }
      for (int i = 0; i < length; i++) {
        long v = measurement[i];
        if (v < 0 || (bits < 63 && v >= 1L << bits)) {
          throw new IllegalArgumentException("Prio3SumVec entry " + i + " not in [0, 2^" + bits + ")");
        }
        for (int l = 0; l < bits; l++) {
          field.set(out, i * bits + l, (v >>> l) & 1);
        }
      }
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      for (int i = 0; i < length; i++) {
        decodeBits(meas, i * bits, bits, out, i);
      }
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      chunkedRangeCheck(meas, jointRand, jrOff, numShares, chunkLength, oracle, out, oi);
    }
  }

  /** Prio3Histogram's circuit: a one-hot vector of {@code length} buckets. */
  public static final class Histogram extends Circuit {
    private final int chunkLength;

    /** Creates the circuit. */
    public Histogram(int length, int chunkLength) {
      super(Field128.INSTANCE, checkedMeasLen(length), 2, length,
          new Gadget[] {new Gadget.ParallelSum(new Gadget.Mul(), checkChunkLength(chunkLength))},
          new int[] {(length + chunkLength - 1) / chunkLength});
      this.chunkLength = chunkLength;
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      encodeOneHot(measurement, out);
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      System.arraycopy(meas, 0, out, 0, measLen * field.limbs());
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      long[] t = field.zeros(2); // [0] range check, [1] sum check
      chunkedRangeCheck(meas, jointRand, jrOff, numShares, chunkLength, oracle, t, 0);
      oneHotSumCheck(meas, numShares, t, 1);
      combine(field, jointRand, jrOff + 1, t, out, oi);
    }
  }

  /** out = r * t[0] + r^2 * t[1], with r = jointRand[ri]. */
  static void combine(Field f, long[] jointRand, int ri, long[] t, long[] out, int oi) {
    long[] u = f.zeros(2);
    f.mul(jointRand, ri, t, 0, u, 0);
    f.mul(jointRand, ri, jointRand, ri, u, 1);
    f.mulAdd(u, 1, t, 1, u, 0);
    f.copy(u, 0, out, oi);
  }

  /**
   * The multi-hot histogram circuit of the draft-08 reference code (not a standard Prio3 variant): a bit vector
   * of {@code length} entries with at most {@code maxCount} ones, followed by an offset count in binary.
   */
  public static final class MultiHotHistogram extends Circuit {
    private final int length;
    private final int maxCount;
    private final int bitsForCount;
    private final int chunkLength;

    /** Creates the circuit. */
    public MultiHotHistogram(int length, int maxCount, int chunkLength) {
      this(length, maxCount, chunkLength, 64 - Long.numberOfLeadingZeros(checkMaxCount(length, maxCount)));
    }

    private MultiHotHistogram(int length, int maxCount, int chunkLength, int bitsForCount) {
      super(Field128.INSTANCE, checkedMeasLen((long) length + bitsForCount), 2, length,
          new Gadget[] {new Gadget.ParallelSum(new Gadget.Mul(),
              checkChunkLength(chunkLength))},
          new int[] {(length + bitsForCount + chunkLength - 1) / chunkLength});
      this.length = length;
      this.maxCount = maxCount;
      this.bitsForCount = bitsForCount;
      this.chunkLength = chunkLength;
    }

    private static int checkMaxCount(int length, int maxCount) {
      if (length < 1) {
        throw new IllegalArgumentException("length must be positive, got " + length);
      }
      if (maxCount < 1 || maxCount > length) {
        throw new IllegalArgumentException("max count must be in [1, " + length + "], got " + maxCount);
      }
      return maxCount;
    }

    private long offset() {
      return (1L << bitsForCount) - 1 - maxCount;
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      if (measurement.length != length) {
        throw new IllegalArgumentException(
            "multi-hot measurement must have " + length + " entries, got " + measurement.length);
      }
      long count = 0;
      for (int i = 0; i < length; i++) {
        if (measurement[i] != 0 && measurement[i] != 1) {
          throw new IllegalArgumentException("multi-hot entry " + i + " must be 0 or 1");
        }
        count += measurement[i];
        field.set(out, i, measurement[i]);
      }
      if (count > maxCount) {
        throw new IllegalArgumentException("multi-hot measurement has more than " + maxCount + " ones");
      }
      long encodedCount = offset() + count;
      for (int l = 0; l < bitsForCount; l++) {
        field.set(out, length + l, (encodedCount >>> l) & 1);
      }
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      System.arraycopy(meas, 0, out, 0, length * field.limbs());
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      long[] t = field.zeros(4); // [0] range check, [1] count check, [2] 1/shares, [3] temp
      chunkedRangeCheck(meas, jointRand, jrOff, numShares, chunkLength, oracle, t, 0);
      shareInverse(numShares, t, 2);
      field.set(t, 3, offset());
      field.mul(t, 3, t, 2, t, 1);
      for (int i = 0; i < length; i++) {
        field.add(t, 1, meas, i, t, 1);
      }
      decodeBits(meas, length, bitsForCount, t, 3);
      field.sub(t, 1, t, 3, t, 1);
      combine(field, jointRand, jrOff + 1, t, out, oi);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // draft-irtf-cfrg-vdaf-18 circuits (section 7.4): range-checked integer encoding, one joint randomness element
  // per chunked gadget call, several circuit outputs folded by the FLP.

  /** Returns the bit length of a range-checked integer bound: at least 1 for a bound of at least 1. */
  static int boundBits(long maxMeasurement) {
    if (maxMeasurement < 1 || maxMeasurement > (1L << 62)) {
      throw new IllegalArgumentException("maximum measurement must be in [1, 2^62], got " + maxMeasurement);
    }
    return 64 - Long.numberOfLeadingZeros(maxMeasurement);
  }

  /**
   * Writes the draft-18 range-checked encoding of {@code value} in [0, max] (encode_range_checked_int): bits - 1
   * binary digits with weights 2^l and a last digit whose weight makes the weights sum to max, so every vector of
   * zeros and ones decodes into [0, max]. Branch-free in the value, which is secret.
   */
  final void encodeRangeChecked(long value, long max, int bits, long[] out, int off) {
    long restAllOnes = (1L << (bits - 1)) - 1;
    long lastWeight = max - restAllOnes;
    long over = (restAllOnes - value) >> 63; // all ones exactly when value > restAllOnes
    long rest = value - (lastWeight & over);
    for (int l = 0; l < bits - 1; l++) {
      field.set(out, off + l, (rest >>> l) & 1);
    }
    field.set(out, off + bits - 1, over & 1);
  }

  /**
   * Writes the linear decoding of a range-checked encoding (or a share of one) at {@code meas[off ..]} to
   * {@code out[oi]}: sum_{l < bits-1} 2^l * b_l + lastWeight[0] * b_{bits-1}. {@code out} is not {@code meas}.
   */
  final void decodeRangeChecked(long[] meas, int off, int bits, long[] lastWeight, long[] out, int oi) {
    field.mul(lastWeight, 0, meas, off + bits - 1, out, oi);
    for (int l = 0; l < bits - 1; l++) {
      field.mulAdd(pow2, l, meas, off + l, out, oi);
    }
  }

  /** Returns max - (2^(bits-1) - 1), the weight of the last digit of a range-checked encoding, as an element. */
  final long[] lastWeight(long max, int bits) {
    long[] w = field.zeros(1);
    field.set(w, 0, max - ((1L << (bits - 1)) - 1));
    return w;
  }

  /**
   * The draft-18 chunked bit check shared by SumVec, Histogram and MultihotCountVec: for call i, with
   * r = jointRand[jrOff + i], ParallelSum(Mul) on (r^(j+1) * m_k, m_k - 1/shares) over the chunk's entries,
   * padding past the end of the measurement with zeros; the sum of all calls goes to {@code out[oi]}.
   */
  final void chunkedRangeCheckPerCall(
      long[] meas, long[] jointRand, int jrOff, int numShares, int chunk, GadgetOracle oracle, long[] out, int oi) {
    Field f = field;
    long[] inputs = f.zeros(2 * chunk);
    long[] t = f.zeros(4); // [0] r^(j+1), [1] 1/shares, [2] gadget output, [3] accumulator
    shareInverse(numShares, t, 1);
    int n = calls[0];
    for (int i = 0; i < n; i++) {
      f.copy(jointRand, jrOff + i, t, 0);
      for (int j = 0; j < chunk; j++) {
        int idx = i * chunk + j;
        if (idx < measLen) {
          f.mul(t, 0, meas, idx, inputs, 2 * j);
          f.sub(meas, idx, t, 1, inputs, 2 * j + 1);
        } else {
          f.set(inputs, 2 * j, 0);
          f.neg(t, 1, inputs, 2 * j + 1);
        }
        f.mul(t, 0, jointRand, jrOff + i, t, 0);
      }
      oracle.call(0, inputs, 0, t, 2);
      f.add(t, 3, t, 2, t, 3);
    }
    f.copy(t, 3, out, oi);
  }

  private static int chunkCalls(int measLen, int chunkLength) {
    return (int) (((long) measLen + checkChunkLength(chunkLength) - 1) / chunkLength);
  }

  /**
   * Prio3Sum's circuit in draft 18: a measurement in [0, max] in the range-checked encoding, each digit checked by
   * its own Range2 call and reported as its own output, with no joint randomness.
   */
  public static final class SumDraft18 extends Circuit {
    private final long max;
    private final int bits;
    private final long[] lastWeight;

    /** Creates the circuit over {@code field} (Field64 for Prio3Sum) for measurements in [0, maxMeasurement]. */
    public SumDraft18(Field field, long maxMeasurement) {
      this(field, maxMeasurement, boundBits(maxMeasurement));
    }

    private SumDraft18(Field field, long max, int bits) {
      super(field, bits, 0, 1, bits, new Gadget[] {new Gadget.Range2()}, new int[] {bits});
      this.max = max;
      this.bits = bits;
      this.lastWeight = lastWeight(max, bits);
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      if (measurement.length != 1 || measurement[0] < 0 || measurement[0] > max) {
        throw new IllegalArgumentException("Prio3Sum measurement must be in [0, " + max + "]");
      }
      encodeRangeChecked(measurement[0], max, bits, out, 0);
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      decodeRangeChecked(meas, 0, bits, lastWeight, out, 0);
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      for (int l = 0; l < bits; l++) {
        oracle.call(0, meas, l, out, oi + l);
      }
    }
  }

  /** Prio3SumVec's circuit in draft 18: {@code length} entries in [0, max], range-checked digits checked in chunks. */
  public static final class SumVecDraft18 extends Circuit {
    private final int length;
    private final long max;
    private final int bits;
    private final int chunkLength;
    private final long[] lastWeight;

    /** Creates the circuit over {@code field} (Field128 for Prio3SumVec, Field64 for the multiproof variant). */
    public SumVecDraft18(Field field, int length, long maxMeasurement, int chunkLength) {
      this(field, length, maxMeasurement, boundBits(maxMeasurement), chunkLength);
    }

    private SumVecDraft18(Field field, int length, long max, int bits, int chunkLength) {
      this(field, length, max, bits, chunkLength, measLenOf(length, bits));
    }

    private SumVecDraft18(Field field, int length, long max, int bits, int chunkLength, int measLen) {
      super(field, measLen, chunkCalls(measLen, chunkLength), length, 1,
          new Gadget[] {new Gadget.ParallelSum(new Gadget.Mul(), chunkLength)},
          new int[] {chunkCalls(measLen, chunkLength)});
      this.length = length;
      this.max = max;
      this.bits = bits;
      this.chunkLength = chunkLength;
      this.lastWeight = lastWeight(max, bits);
    }

    private static int measLenOf(int length, int bits) {
      if (length < 1) {
        throw new IllegalArgumentException("length must be positive, got " + length);
      }
      return checkedMeasLen((long) length * bits);
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      if (measurement.length != length) {
        throw new IllegalArgumentException(
            "Prio3SumVec measurement must have " + length + " entries, got " + measurement.length);
      }
      for (int i = 0; i < length; i++) {
        if (measurement[i] < 0 || measurement[i] > max) {
          throw new IllegalArgumentException("Prio3SumVec entry " + i + " not in [0, " + max + "]");
        }
      }
      for (int i = 0; i < length; i++) {
        encodeRangeChecked(measurement[i], max, bits, out, i * bits);
      }
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      for (int i = 0; i < length; i++) {
        decodeRangeChecked(meas, i * bits, bits, lastWeight, out, i);
      }
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      chunkedRangeCheckPerCall(meas, jointRand, jrOff, numShares, chunkLength, oracle, out, oi);
    }
  }

  /** Prio3Histogram's circuit in draft 18: a one-hot vector; outputs the bit check and the sum-to-one check. */
  public static final class HistogramDraft18 extends Circuit {
    private final int chunkLength;

    /** Creates the circuit. */
    public HistogramDraft18(int length, int chunkLength) {
      super(Field128.INSTANCE, checkedMeasLen(length), chunkCalls(checkedMeasLen(length), chunkLength), length, 2,
          new Gadget[] {new Gadget.ParallelSum(new Gadget.Mul(), chunkLength)},
          new int[] {chunkCalls(length, chunkLength)});
      this.chunkLength = chunkLength;
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      encodeOneHot(measurement, out);
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      System.arraycopy(meas, 0, out, 0, measLen * field.limbs());
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      chunkedRangeCheckPerCall(meas, jointRand, jrOff, numShares, chunkLength, oracle, out, oi);
      long[] t = field.zeros(1);
      oneHotSumCheck(meas, numShares, t, 0);
      field.copy(t, 0, out, oi + 1);
    }
  }

  /**
   * Prio3MultihotCountVec's circuit (new in draft 18): a bit vector of {@code length} entries followed by its
   * weight in the range-checked encoding with bound {@code maxWeight}; outputs the bit check over everything and
   * the difference between the counted and the reported weight.
   */
  public static final class MultihotCountVec extends Circuit {
    private final int length;
    private final long maxWeight;
    private final int weightBits;
    private final int chunkLength;
    private final long[] lastWeight;

    /** Creates the circuit; {@code maxWeight} in [1, length]. */
    public MultihotCountVec(int length, int maxWeight, int chunkLength) {
      this(length, maxWeight, boundBits(checkMaxWeight(length, maxWeight)), chunkLength);
    }

    private MultihotCountVec(int length, int maxWeight, int weightBits, int chunkLength) {
      this(length, maxWeight, weightBits, chunkLength, checkedMeasLen((long) length + weightBits));
    }

    private MultihotCountVec(int length, int maxWeight, int weightBits, int chunkLength, int measLen) {
      super(Field128.INSTANCE, measLen, chunkCalls(measLen, chunkLength), length, 2,
          new Gadget[] {new Gadget.ParallelSum(new Gadget.Mul(), chunkLength)},
          new int[] {chunkCalls(measLen, chunkLength)});
      this.length = length;
      this.maxWeight = maxWeight;
      this.weightBits = weightBits;
      this.chunkLength = chunkLength;
      this.lastWeight = lastWeight(maxWeight, weightBits);
    }

    private static int checkMaxWeight(int length, int maxWeight) {
      if (length < 1) {
        throw new IllegalArgumentException("length must be positive, got " + length);
      }
      if (maxWeight < 1 || maxWeight > length) {
        throw new IllegalArgumentException("max weight must be in [1, " + length + "], got " + maxWeight);
      }
      return maxWeight;
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      if (measurement.length != length) {
        throw new IllegalArgumentException(
            "Prio3MultihotCountVec measurement must have " + length + " entries, got " + measurement.length);
      }
      long weight = 0;
      for (int i = 0; i < length; i++) {
        if (measurement[i] != 0 && measurement[i] != 1) {
          throw new IllegalArgumentException("Prio3MultihotCountVec entry " + i + " must be 0 or 1");
        }
        weight += measurement[i];
        field.set(out, i, measurement[i]);
      }
      if (weight > maxWeight) {
        throw new IllegalArgumentException("Prio3MultihotCountVec measurement has more than " + maxWeight + " ones");
      }
      encodeRangeChecked(weight, maxWeight, weightBits, out, length);
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      System.arraycopy(meas, 0, out, 0, length * field.limbs());
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      chunkedRangeCheckPerCall(meas, jointRand, jrOff, numShares, chunkLength, oracle, out, oi);
      long[] t = field.zeros(2); // [0] counted weight, [1] reported weight
      for (int i = 0; i < length; i++) {
        field.add(t, 0, meas, i, t, 0);
      }
      decodeRangeChecked(meas, length, weightBits, lastWeight, t, 1);
      field.sub(t, 0, t, 1, out, oi + 1);
    }
  }

  /**
   * The draft-18 reference's test circuit "HigherDegree" (poc/tests/test_flp_bbcggi19.py), behind the
   * Prio3HigherDegree test vector, generalized to {@code length} Field64 inputs: each x must satisfy
   * x(x - 1)(x - 2) = 0, checked by its own call of one degree-3 PolyEval gadget and reported as its own output.
   * The draft's circuit is {@code length} 1. It is the only circuit here whose gadget has degree above 2.
   */
  public static final class HigherDegree extends Circuit {
    /** Creates the circuit for measurements of {@code length} values in {0, 1, 2}. */
    public HigherDegree(int length) {
      super(Field64.INSTANCE, checkedMeasLen(length), 0, length, length,
          new Gadget[] {new Gadget.PolyEval(Field64.INSTANCE, 0, 2, -3, 1)}, new int[] {length});
    }

    @Override
    public void encode(long[] measurement, long[] out) {
      if (measurement.length != measLen) {
        throw new IllegalArgumentException("HigherDegree measurement must have " + measLen + " entries");
      }
      for (int i = 0; i < measLen; i++) {
        if (measurement[i] < 0 || measurement[i] > 2) {
          throw new IllegalArgumentException("HigherDegree entries must be 0, 1 or 2");
        }
        field.set(out, i, measurement[i]);
      }
    }

    @Override
    public void truncate(long[] meas, long[] out) {
      System.arraycopy(meas, 0, out, 0, measLen * field.limbs());
    }

    @Override
    public void eval(
        long[] meas, long[] jointRand, int jrOff, int numShares, GadgetOracle oracle, long[] out, int oi) {
      for (int i = 0; i < measLen; i++) {
        oracle.call(0, meas, i, out, oi + i);
      }
    }
  }
}
