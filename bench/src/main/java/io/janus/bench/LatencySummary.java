package io.janus.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of request latencies, by the nearest-rank method.
 *
 * @param count how many latencies were summarised
 * @param p50Nanos the median
 * @param p90Nanos the 90th percentile
 * @param p99Nanos the 99th percentile
 * @param p999Nanos the 99.9th percentile
 * @param maxNanos the largest latency
 */
public record LatencySummary(int count, long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos,
    long maxNanos) {

  /**
   * Summarises {@code latencies[0, count)}, sorting that range in place.
   *
   * @throws IllegalArgumentException if {@code count} is zero or exceeds the array
   */
  public static LatencySummary of(long[] latencies, int count) {
    if (count <= 0 || count > latencies.length) {
      throw new IllegalArgumentException("need between 1 and " + latencies.length + " latencies, got " + count);
    }
    Arrays.sort(latencies, 0, count);
    return new LatencySummary(count, rank(latencies, count, 50), rank(latencies, count, 90),
        rank(latencies, count, 99), rank(latencies, count, 99.9), latencies[count - 1]);
  }

  /** The nearest-rank percentile: the smallest value with at least {@code p}% of values at or below it. */
  static long rank(long[] sorted, int count, double p) {
    int rank = (int) Math.ceil(p / 100 * count);
    return sorted[Math.max(rank, 1) - 1];
  }
}
