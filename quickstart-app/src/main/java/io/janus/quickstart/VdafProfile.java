package io.janus.quickstart;

import io.janus.core.task.DapVersion;
import io.janus.core.task.VdafInstance;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The VDAF a quickstart run uses, with what the run needs besides the {@link VdafInstance}: how to draw a random
 * measurement and what aggregate the plaintext measurements add up to.
 *
 * @param kind which Prio3 variant
 * @param bits bit length of a Sum measurement or of each SumVec element (ignored otherwise)
 * @param length number of Histogram buckets or SumVec elements (ignored otherwise)
 */
public record VdafProfile(Kind kind, int bits, int length) {
  /** Largest {@code bits}: keeps the sum of a large run far below 2^63, so the expected value never overflows. */
  public static final int MAX_BITS = 32;
  /**
   * Proofs of the Field64 multiproof SumVec: two, the fewest Janus accepts and what its own end-to-end test of
   * this VDAF uses.
   */
  public static final int MULTIPROOF_PROOFS = 2;

  /** The Prio3 variants the quickstart can run, by their command-line names. */
  public enum Kind {
    /** Prio3Count: each measurement is 0 or 1. */
    COUNT,
    /** Prio3Sum: each measurement is an integer below 2^bits. */
    SUM,
    /** Prio3Histogram: each measurement is a bucket index below length. */
    HISTOGRAM,
    /** Prio3SumVec: each measurement is length integers below 2^bits. */
    SUMVEC,
    /**
     * Janus's Prio3SumVecField64MultiproofHmacSha256Aes128: SumVec's measurements over Field64 with
     * {@link #MULTIPROOF_PROOFS} proofs. Named as janus_cli names it.
     */
    SUMVECFIELD64MULTIPROOFHMACSHA256AES128;

    /** Whether measurements are vectors of {@code length} integers below 2^bits. */
    boolean isSumVec() {
      return this == SUMVEC || this == SUMVECFIELD64MULTIPROOFHMACSHA256AES128;
    }

    /** The command-line name, e.g. {@code histogram}. */
    public String optionName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks the parameters the chosen kind uses. */
  public VdafProfile {
    if (kind == Kind.SUM || kind.isSumVec()) {
      if (bits < 1 || bits > MAX_BITS) {
        throw new IllegalArgumentException("--bits must be 1.." + MAX_BITS + ", got " + bits);
      }
    }
    if ((kind == Kind.HISTOGRAM || kind.isSumVec()) && (length < 1 || length > 100_000)) {
      throw new IllegalArgumentException("--length must be 1..100000, got " + length);
    }
  }

  /** The VDAF of a DAP-09 task; see {@link #instance(DapVersion)}. */
  public VdafInstance instance() {
    return instance(DapVersion.DAP_09);
  }

  /**
   * The VDAF of a task of draft {@code version}; chunk lengths follow the usual square-root rule, which keeps
   * proofs small. VDAF-18 (DAP-18) takes Sum and SumVec by their largest value, {@code 2^bits - 1}, where VDAF-08
   * takes the bit length: the same measurements either way.
   *
   * @throws IllegalArgumentException if the draft cannot run this kind (Janus's multiproof SumVec is DAP-09 only)
   */
  public VdafInstance instance(DapVersion version) {
    if (version == DapVersion.DAP_18) {
      return switch (kind) {
        case COUNT -> new VdafInstance.Prio3Count();
        case SUM -> new VdafInstance.Prio3SumMaxMeasurement((1L << bits) - 1);
        case HISTOGRAM -> new VdafInstance.Prio3Histogram(length, chunkLength(length));
        case SUMVEC -> new VdafInstance.Prio3SumVecMaxMeasurement((1L << bits) - 1, length,
            chunkLength(length * bits));
        case SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> throw new IllegalArgumentException(
            "--vdaf sumvecfield64multiproofhmacsha256aes128 is Janus's DAP-09 VDAF; DAP-18 tasks cannot run it");
      };
    }
    return switch (kind) {
      case COUNT -> new VdafInstance.Prio3Count();
      case SUM -> new VdafInstance.Prio3Sum(bits);
      case HISTOGRAM -> new VdafInstance.Prio3Histogram(length, chunkLength(length));
      case SUMVEC -> new VdafInstance.Prio3SumVec(bits, length, chunkLength(length * bits));
      case SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(
          MULTIPROOF_PROOFS, bits, length, chunkLength(length * bits));
    };
  }

  /** How many numbers the aggregate result has: one for Count and Sum, {@code length} otherwise. */
  public int resultLength() {
    return kind == Kind.COUNT || kind == Kind.SUM ? 1 : length;
  }

  /** A uniformly random measurement in the encoding {@link io.janus.client.Client#upload(long[])} takes. */
  public long[] randomMeasurement(RandomGenerator random) {
    return switch (kind) {
      case COUNT -> new long[] {random.nextInt(2)};
      case SUM -> new long[] {random.nextLong(1L << bits)};
      case HISTOGRAM -> new long[] {random.nextInt(length)};
      case SUMVEC, SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> {
        long[] m = new long[length];
        for (int i = 0; i < length; i++) {
          m[i] = random.nextLong(1L << bits);
        }
        yield m;
      }
    };
  }

  /** The aggregate result the VDAF must produce for these measurements, computed in the clear. */
  public long[] expectedAggregate(List<long[]> measurements) {
    long[] sum = new long[resultLength()];
    for (long[] m : measurements) {
      switch (kind) {
        case COUNT, SUM -> sum[0] += m[0];
        case HISTOGRAM -> sum[(int) m[0]]++;
        case SUMVEC, SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> {
          for (int i = 0; i < length; i++) {
            sum[i] += m[i];
          }
        }
      }
    }
    return sum;
  }

  /** The label of result element {@code i}: "count", "sum", "bucket 3" or "element 3". */
  public String resultLabel(int i) {
    return switch (kind) {
      case COUNT -> "count";
      case SUM -> "sum";
      case HISTOGRAM -> "bucket " + i;
      case SUMVEC, SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> "element " + i;
    };
  }

  /** A one-line description, e.g. {@code Prio3Histogram (10 buckets)}. */
  public String describe() {
    return switch (kind) {
      case COUNT -> "Prio3Count";
      case SUM -> "Prio3Sum (" + bits + "-bit measurements)";
      case HISTOGRAM -> "Prio3Histogram (" + length + " buckets)";
      case SUMVEC -> "Prio3SumVec (" + length + " elements of " + bits + " bits)";
      case SUMVECFIELD64MULTIPROOFHMACSHA256AES128 -> "Prio3SumVecField64MultiproofHmacSha256Aes128 (" + length
          + " elements of " + bits + " bits, " + MULTIPROOF_PROOFS + " proofs)";
    };
  }

  private static int chunkLength(int measurementLength) {
    return Math.max(1, (int) Math.round(Math.sqrt(measurementLength)));
  }
}
