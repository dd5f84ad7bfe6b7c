package io.janus.bench;

import io.janus.vdaf.Prio3;
import java.util.function.IntFunction;

/**
 * The Prio3 instances benchmarked, each with a fixed valid measurement.
 *
 * <p>Chunk lengths come in two flavours so the figures can be read against libprio-rs: {@code LIBPRIO} uses the
 * chunk length libprio-rs's {@code benches/speed_tests.rs} uses for the same length (the square-root rule: 10 for
 * 100, 31 for 1000), {@code OPTIMAL} uses the chunk length that minimises the proof length, the rule of
 * libprio-rs's {@code optimal_chunk_length} (7 for 100, 33 for 1000: 15 resp. 31 gadget calls, so the wire
 * polynomials fill a power-of-two domain exactly, where sqrt-rule chunks of 31 need 33 calls and a domain of 64).
 */
public enum Prio3Variant {
  /** Prio3Count, measurement 1. */
  COUNT(Prio3.count(), len -> new long[] {1}),
  /** Prio3Sum with 8-bit measurements, measurement 2^8 - 1 (libprio-rs benchmarks the maximum too). */
  SUM_8(Prio3.sum(8), len -> new long[] {(1L << 8) - 1}),
  /** Prio3Sum with 32-bit measurements, measurement 2^32 - 1. */
  SUM_32(Prio3.sum(32), len -> new long[] {(1L << 32) - 1}),
  /** Prio3Histogram, 100 buckets, chunk length 10 (libprio-rs benchmark choice). */
  HISTOGRAM_100_LIBPRIO(Prio3.histogram(100, 10), len -> new long[] {42}),
  /** Prio3Histogram, 100 buckets, chunk length 7 (proof-length optimum). */
  HISTOGRAM_100_OPTIMAL(Prio3.histogram(100, 7), len -> new long[] {42}),
  /** Prio3Histogram, 1000 buckets, chunk length 31 (libprio-rs benchmark choice). */
  HISTOGRAM_1000_LIBPRIO(Prio3.histogram(1000, 31), len -> new long[] {421}),
  /** Prio3Histogram, 1000 buckets, chunk length 33 (proof-length optimum). */
  HISTOGRAM_1000_OPTIMAL(Prio3.histogram(1000, 33), len -> new long[] {421}),
  /** Prio3SumVec, 1000 one-bit entries, chunk length 31 (libprio-rs benchmark choice). */
  SUMVEC_1000_LIBPRIO(Prio3.sumVec(1000, 1, 31), Prio3Variant::alternatingBits),
  /** Prio3SumVec, 1000 one-bit entries, chunk length 33 (proof-length optimum). */
  SUMVEC_1000_OPTIMAL(Prio3.sumVec(1000, 1, 33), Prio3Variant::alternatingBits);

  private final Prio3 vdaf;
  private final IntFunction<long[]> measurement;

  Prio3Variant(Prio3 vdaf, IntFunction<long[]> measurement) {
    this.vdaf = vdaf;
    this.measurement = measurement;
  }

  /** Returns the VDAF instance (two aggregators). */
  public Prio3 vdaf() {
    return vdaf;
  }

  /** Returns a fresh copy of this variant's benchmark measurement. */
  public long[] measurement() {
    return measurement.apply(vdaf.outputLength());
  }

  private static long[] alternatingBits(int length) {
    long[] v = new long[length];
    for (int i = 0; i < length; i += 2) {
      v[i] = 1;
    }
    return v;
  }
}
