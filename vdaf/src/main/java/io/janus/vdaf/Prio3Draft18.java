package io.janus.vdaf;

import io.janus.vdaf.internal.Circuit;
import io.janus.vdaf.internal.Field128;
import io.janus.vdaf.internal.Field64;
import io.janus.vdaf.internal.XofAlgorithm;

/**
 * Factories of the Prio3 variants of draft-irtf-cfrg-vdaf-18 section 7.4 (wire-identical through draft 20, the
 * VDAF of DAP-17 and DAP-18), returning {@link Prio3} instances of {@link VdafVersion#DRAFT_18} with
 * XofTurboShake128, 32-byte seeds and verify keys, for two aggregators ({@link Prio3#withShares(int)} for more).
 *
 * <p>Compared with draft 08, Sum moves to Field64 and, like SumVec, takes an inclusive maximum instead of a bit
 * count (measurements use the range-checked encoding, so any maximum is exact); MultihotCountVec is new; and the
 * algorithm IDs start at 1.
 */
public final class Prio3Draft18 {
  /** Algorithm ID of Prio3Count. */
  public static final int ID_COUNT = 0x00000001;
  /** Algorithm ID of Prio3Sum. */
  public static final int ID_SUM = 0x00000002;
  /** Algorithm ID of Prio3SumVec. */
  public static final int ID_SUM_VEC = 0x00000003;
  /** Algorithm ID of Prio3Histogram. */
  public static final int ID_HISTOGRAM = 0x00000004;
  /** Algorithm ID of Prio3MultihotCountVec. */
  public static final int ID_MULTIHOT_COUNT_VEC = 0x00000005;
  /** The draft's reserved test codepoint, used by its experimental multiproof SumVec and test circuits. */
  public static final int ID_EXPERIMENTAL = 0xFFFFFFFF;

  private static final XofAlgorithm XOF = XofAlgorithm.TURBO_SHAKE_128_DRAFT_18;

  private Prio3Draft18() {}

  private static Prio3 of(String name, int id, Circuit circuit, int proofs) {
    return new Prio3(VdafVersion.DRAFT_18, name, id, XOF, circuit, proofs, 2);
  }

  /** Returns Prio3Count (ID 1): counts measurements equal to 1, over Field64. */
  public static Prio3 count() {
    return of("Prio3Count", ID_COUNT, new Circuit.Count(), 1);
  }

  /**
   * Returns Prio3Sum (ID 2) for measurements in [0, maxMeasurement], over Field64.
   *
   * @param maxMeasurement in [1, 2^62]
   */
  public static Prio3 sum(long maxMeasurement) {
    return of("Prio3Sum(maxMeasurement=" + maxMeasurement + ")", ID_SUM,
        new Circuit.SumDraft18(Field64.INSTANCE, maxMeasurement), 1);
  }

  /**
   * Returns Prio3SumVec (ID 3): element-wise sums of vectors of {@code length} entries in [0, maxMeasurement], over
   * Field128, with digit checks batched {@code chunkLength} per gadget call.
   *
   * @param length at least 1
   * @param maxMeasurement in [1, 2^62]
   * @param chunkLength at least 1 (larger than the encoded length is allowed: the last gadget call is padded)
   */
  public static Prio3 sumVec(int length, long maxMeasurement, int chunkLength) {
    return of("Prio3SumVec(length=" + length + ", maxMeasurement=" + maxMeasurement + ", chunkLength="
            + chunkLength + ")",
        ID_SUM_VEC, new Circuit.SumVecDraft18(Field128.INSTANCE, length, maxMeasurement, chunkLength), 1);
  }

  /**
   * Returns Prio3Histogram (ID 4): bucket counts over {@code length} buckets, over Field128.
   *
   * @param length at least 1
   * @param chunkLength at least 1
   */
  public static Prio3 histogram(int length, int chunkLength) {
    return of("Prio3Histogram(length=" + length + ", chunkLength=" + chunkLength + ")", ID_HISTOGRAM,
        new Circuit.HistogramDraft18(length, chunkLength), 1);
  }

  /**
   * Returns Prio3MultihotCountVec (ID 5): element-wise counts of bit vectors of {@code length} entries with at
   * most {@code maxWeight} ones, over Field128.
   *
   * @param length at least 1
   * @param maxWeight in [1, length]
   * @param chunkLength at least 1
   */
  public static Prio3 multihotCountVec(int length, int maxWeight, int chunkLength) {
    return of("Prio3MultihotCountVec(length=" + length + ", maxWeight=" + maxWeight + ", chunkLength="
            + chunkLength + ")",
        ID_MULTIHOT_COUNT_VEC, new Circuit.MultihotCountVec(length, maxWeight, chunkLength), 1);
  }

  /**
   * Returns the draft's experimental multiproof SumVec ("Prio3SumVecWithMultiproof", ID 0xFFFFFFFF) over Field64:
   * {@code proofs} independent proofs make up for the smaller field.
   *
   * @param proofs in [2, 255]
   * @param length at least 1
   * @param maxMeasurement in [1, 2^62]
   * @param chunkLength at least 1
   */
  public static Prio3 sumVecMultiproof(int proofs, int length, long maxMeasurement, int chunkLength) {
    if (proofs < 2 || proofs > 255) {
      throw new IllegalArgumentException("Field64 multiproof SumVec needs proofs in [2, 255], got " + proofs);
    }
    return of("Prio3SumVecWithMultiproof(proofs=" + proofs + ", length=" + length + ", maxMeasurement="
            + maxMeasurement + ", chunkLength=" + chunkLength + ")",
        ID_EXPERIMENTAL, new Circuit.SumVecDraft18(Field64.INSTANCE, length, maxMeasurement, chunkLength), proofs);
  }

  /**
   * Returns the draft reference's "Prio3HigherDegree" (ID 0xFFFFFFFF): measurements 0, 1 or 2, checked with one
   * degree-3 gadget. It only exists to run the draft's test vector for gadgets of degree above 2.
   */
  static Prio3 higherDegree() {
    return of("Prio3HigherDegree", ID_EXPERIMENTAL, new Circuit.HigherDegree(1), 1);
  }
}
