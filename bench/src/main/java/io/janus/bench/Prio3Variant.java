package io.janus.bench;

import io.janus.vdaf.Prio3;
import io.janus.vdaf.Prio3Draft18;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * The Prio3 instances benchmarked, each with a fixed valid measurement.
 *
 * <p>Chunk lengths come in two flavours so the figures can be read against libprio-rs: {@code LIBPRIO} uses the
 * chunk length libprio-rs's {@code benches/speed_tests.rs} uses for the same length (the square-root rule: 10 for
 * 100, 31 for 1000), {@code OPTIMAL} uses the chunk length that minimises the proof length, the rule of
 * libprio-rs's {@code optimal_chunk_length} (7 for 100, 33 for 1000: 15 resp. 31 gadget calls, so the wire
 * polynomials fill a power-of-two domain exactly, where sqrt-rule chunks of 31 need 33 calls and a domain of 64).
 *
 * <p>The {@code _VDAF18} variants are the draft-irtf-cfrg-vdaf-18 instances (DAP-17/18), run under a DAP-18 sized
 * application context ("dap-18" and a 32-byte task ID), so their XOF inputs are as long as in production; the
 * draft-08 variants use the empty context, the only one draft 08 has.
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
  SUMVEC_1000_OPTIMAL(Prio3.sumVec(1000, 1, 33), Prio3Variant::alternatingBits),
  /** VDAF-18 Prio3Count, measurement 1. */
  COUNT_VDAF18(Prio3Draft18.count(), len -> new long[] {1}, true),
  /** VDAF-18 Prio3Sum with maximum 255 (8 digits, now over Field64), measurement 255. */
  SUM_255_VDAF18(Prio3Draft18.sum(255), len -> new long[] {255}, true),
  /** VDAF-18 Prio3Sum with maximum 2^32 - 1, measurement 2^32 - 1. */
  SUM_32_VDAF18(Prio3Draft18.sum((1L << 32) - 1), len -> new long[] {(1L << 32) - 1}, true),
  /** VDAF-18 Prio3Histogram, 100 buckets, chunk length 10. */
  HISTOGRAM_100_VDAF18(Prio3Draft18.histogram(100, 10), len -> new long[] {42}, true),
  /** VDAF-18 Prio3Histogram, 1000 buckets, chunk length 31. */
  HISTOGRAM_1000_VDAF18(Prio3Draft18.histogram(1000, 31), len -> new long[] {421}, true),
  /** VDAF-18 Prio3SumVec, 1000 entries of maximum 1, chunk length 31. */
  SUMVEC_1000_VDAF18(Prio3Draft18.sumVec(1000, 1, 31), Prio3Variant::alternatingBits, true),
  /** VDAF-18 Prio3MultihotCountVec, 100 entries of which at most 10 set, chunk length 10; 10 set. */
  MULTIHOT_100_VDAF18(Prio3Draft18.multihotCountVec(100, 10, 10), Prio3Variant::tenOnes, true);

  private static final byte[] DAP18_CONTEXT = dap18Context();

  private final Prio3 vdaf;
  private final IntFunction<long[]> measurement;
  private final boolean dap18;

  Prio3Variant(Prio3 vdaf, IntFunction<long[]> measurement) {
    this(vdaf, measurement, false);
  }

  Prio3Variant(Prio3 vdaf, IntFunction<long[]> measurement, boolean dap18) {
    this.vdaf = vdaf;
    this.measurement = measurement;
    this.dap18 = dap18;
  }

  /** Returns the application context every step runs under: empty for draft 08, DAP-18 sized for draft 18. */
  public byte[] context() {
    return dap18 ? DAP18_CONTEXT.clone() : new byte[0];
  }

  /** Returns whether the aggregate result is a bucket count of the measurement's index. */
  boolean histogram() {
    return name().startsWith("HISTOGRAM");
  }

  /** Returns the VDAF instance (two aggregators). */
  public Prio3 vdaf() {
    return vdaf;
  }

  /** Returns a fresh copy of this variant's benchmark measurement. */
  public long[] measurement() {
    return measurement.apply(vdaf.outputLength());
  }

  private static byte[] dap18Context() {
    byte[] label = "dap-18".getBytes(StandardCharsets.US_ASCII);
    byte[] ctx = new byte[label.length + 32];
    System.arraycopy(label, 0, ctx, 0, label.length);
    for (int i = 0; i < 32; i++) {
      ctx[label.length + i] = (byte) (0x40 + i); // a fixed stand-in task ID
    }
    return ctx;
  }

  private static long[] tenOnes(int length) {
    long[] v = new long[length];
    for (int i = 0; i < 10; i++) {
      v[i * (length / 10)] = 1;
    }
    return v;
  }

  private static long[] alternatingBits(int length) {
    long[] v = new long[length];
    for (int i = 0; i < length; i += 2) {
      v[i] = 1;
    }
    return v;
  }
}
