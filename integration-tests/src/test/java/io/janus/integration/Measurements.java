package io.janus.integration;

import io.janus.core.task.VdafInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random measurements for a Prio3 VDAF together with their plaintext aggregate, which is what the collector must
 * get back exactly.
 *
 * @param measurements one encoded measurement per report, as the client takes them
 * @param aggregate the plaintext aggregate: the sum for Count and Sum, element-wise sums for the SumVecs, bucket
 *     counts for Histogram
 */
record Measurements(List<long[]> measurements, long[] aggregate) {
  /** Copies both. */
  Measurements {
    measurements = List.copyOf(measurements);
    aggregate = aggregate.clone();
  }

  /** The aggregate (a copy). */
  @Override
  public long[] aggregate() {
    return aggregate.clone();
  }

  /** {@code n} random valid measurements for {@code vdaf}. */
  static Measurements random(VdafInstance vdaf, int n, Random random) {
    List<long[]> ms = new ArrayList<>(n);
    long[] sum = switch (vdaf) {
      case VdafInstance.Prio3Count c -> new long[1];
      case VdafInstance.Prio3Sum s -> new long[1];
      case VdafInstance.Prio3SumVec v -> new long[v.length()];
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> new long[v.length()];
      case VdafInstance.Prio3Histogram h -> new long[h.length()];
      case VdafInstance.Prio3SumMaxMeasurement s -> new long[1];
      case VdafInstance.Prio3SumVecMaxMeasurement v -> new long[v.length()];
      case VdafInstance.Prio3MultihotCountVec v -> new long[v.length()];
    };
    for (int i = 0; i < n; i++) {
      long[] m = switch (vdaf) {
        case VdafInstance.Prio3Count c -> new long[] {random.nextInt(2)};
        case VdafInstance.Prio3Sum s -> new long[] {random.nextLong(1L << s.bits())};
        case VdafInstance.Prio3SumVec v -> vector(v.length(), v.bits(), random);
        case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> vector(v.length(), v.bits(), random);
        case VdafInstance.Prio3Histogram h -> new long[] {random.nextInt(h.length())};
        case VdafInstance.Prio3SumMaxMeasurement s -> new long[] {random.nextLong(s.maxMeasurement() + 1)};
        case VdafInstance.Prio3SumVecMaxMeasurement v -> {
          long[] vec = new long[v.length()];
          for (int j = 0; j < vec.length; j++) {
            vec[j] = random.nextLong(v.maxMeasurement() + 1);
          }
          yield vec;
        }
        case VdafInstance.Prio3MultihotCountVec v -> {
          // At most maxWeight ones, at distinct random positions.
          long[] vec = new long[v.length()];
          int ones = random.nextInt(v.maxWeight() + 1);
          for (int k = 0; k < ones; k++) {
            vec[random.nextInt(v.length())] = 1;
          }
          yield vec;
        }
      };
      switch (vdaf) {
        case VdafInstance.Prio3Histogram h -> sum[(int) m[0]]++;
        default -> {
          for (int j = 0; j < m.length; j++) {
            sum[j] += m[j];
          }
        }
      }
      ms.add(m);
    }
    return new Measurements(ms, sum);
  }

  private static long[] vector(int length, int bits, Random random) {
    long[] vec = new long[length];
    for (int j = 0; j < vec.length; j++) {
      vec[j] = random.nextLong(1L << bits);
    }
    return vec;
  }
}
