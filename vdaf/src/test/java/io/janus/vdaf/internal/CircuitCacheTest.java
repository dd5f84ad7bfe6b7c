package io.janus.vdaf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks that the per-instance caches in {@link Circuit} give the same results as fresh instances. */
class CircuitCacheTest {
  private static final long SEED = 0xC1C4EL;

  private static long[] random(Field f, Random rnd, int n) {
    long[] v = f.zeros(n);
    for (int i = 0; i < n; i++) {
      f.set(v, i, rnd.nextLong() >>> 2);
    }
    return v;
  }

  /** Evaluates with an oracle that returns the gadget's second input, which depends on 1/numShares. */
  private static long[] eval(Circuit c, long[] meas, long[] jointRand, int numShares) {
    Field f = c.field();
    long[] out = f.zeros(1);
    c.eval(meas, jointRand, 0, numShares, (g, in, inOff, o, oi) -> f.copy(in, inOff + 1, o, oi), out, 0);
    return out;
  }

  @Test
  void shareInverseCacheFollowsChangingShareCounts() {
    System.out.println("seed " + SEED);
    Random rnd = new Random(SEED);
    Circuit[] reused = {
      new Circuit.Histogram(10, 3), new Circuit.MultiHotHistogram(6, 3, 2),
      new Circuit.SumVec(Field64.INSTANCE, 7, 2, 3)
    };
    for (int k = 0; k < reused.length; k++) {
      Circuit c = reused[k];
      long[] meas = random(c.field(), rnd, c.measLen());
      long[] jointRand = random(c.field(), rnd, c.jointRandLen());
      for (int numShares : new int[] {2, 3, 2, 255, 2}) {
        Circuit fresh = k == 0 ? new Circuit.Histogram(10, 3)
            : k == 1 ? new Circuit.MultiHotHistogram(6, 3, 2) : new Circuit.SumVec(Field64.INSTANCE, 7, 2, 3);
        assertThat(eval(c, meas, jointRand, numShares))
            .as("circuit %d, %d shares", k, numShares)
            .containsExactly(eval(fresh, meas, jointRand, numShares));
      }
    }
  }

  @Test
  void decodeBitsMatchesDoubling() {
    System.out.println("seed " + SEED);
    Random rnd = new Random(SEED);
    for (Field f : new Field[] {Field64.INSTANCE, Field128.INSTANCE}) {
      Circuit c = new Circuit.SumVec(f, 1, 63, 1);
      long[] bits = random(f, rnd, 63);
      for (int n = 1; n <= 63; n++) {
        long[] expected = f.zeros(2); // [0] 2^l, [1] sum
        f.set(expected, 0, 1);
        for (int l = 0; l < n; l++) {
          f.mulAdd(expected, 0, bits, l, expected, 1);
          f.add(expected, 0, expected, 0, expected, 0);
        }
        long[] got = f.zeros(1);
        c.decodeBits(bits, 0, n, got, 0);
        assertThat(f.equal(got, 0, expected, 1)).as("%s, n = %d", f.getClass().getSimpleName(), n).isTrue();
      }
    }
  }
}
