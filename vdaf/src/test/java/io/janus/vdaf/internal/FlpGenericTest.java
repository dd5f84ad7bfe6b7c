package io.janus.vdaf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.vdaf.VdafException;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generic FLP on whole (unshared) measurements: valid encodings are accepted, invalid ones are rejected even
 * with an honestly generated proof, and a tampered proof is rejected.
 */
class FlpGenericTest {
  private static final long SEED = 0xf1b_7e57L;

  static Stream<Arguments> circuits() {
    return Stream.of(
        Arguments.of("Count", new Circuit.Count()),
        Arguments.of("Sum(8)", new Circuit.Sum(8)),
        Arguments.of("Sum(63)", new Circuit.Sum(63)),
        Arguments.of("SumVec128(5,3,4)", new Circuit.SumVec(Field128.INSTANCE, 5, 3, 4)),
        Arguments.of("SumVec64(7,2,3)", new Circuit.SumVec(Field64.INSTANCE, 7, 2, 3)),
        Arguments.of("Histogram(10,3)", new Circuit.Histogram(10, 3)),
        Arguments.of("Histogram(1,1)", new Circuit.Histogram(1, 1)),
        Arguments.of("MultiHot(6,3,2)", new Circuit.MultiHotHistogram(6, 3, 2)),
        // 1100 calls: a 2048-point wire domain, past the inversion-free basis, so the barycentric path runs.
        Arguments.of("SumVec64(1100,1,1)", new Circuit.SumVec(Field64.INSTANCE, 1100, 1, 1)));
  }

  static Stream<Arguments> draft18Circuits() {
    return Stream.of(
        Arguments.of("Count", new Circuit.Count()),
        Arguments.of("Sum(255)", new Circuit.SumDraft18(Field64.INSTANCE, 255)),
        Arguments.of("Sum(1337)", new Circuit.SumDraft18(Field64.INSTANCE, 1337)),
        Arguments.of("Sum(1)", new Circuit.SumDraft18(Field64.INSTANCE, 1)),
        Arguments.of("Sum(2^62)", new Circuit.SumDraft18(Field64.INSTANCE, 1L << 62)),
        Arguments.of("SumVec128(5,6,4)", new Circuit.SumVecDraft18(Field128.INSTANCE, 5, 6, 4)),
        Arguments.of("SumVec64(7,3,3)", new Circuit.SumVecDraft18(Field64.INSTANCE, 7, 3, 3)),
        Arguments.of("Histogram(10,3)", new Circuit.HistogramDraft18(10, 3)),
        Arguments.of("Histogram(1,1)", new Circuit.HistogramDraft18(1, 1)),
        Arguments.of("MultihotCountVec(6,3,2)", new Circuit.MultihotCountVec(6, 3, 2)),
        Arguments.of("MultihotCountVec(4,4,1)", new Circuit.MultihotCountVec(4, 4, 1)),
        Arguments.of("HigherDegree(1)", new Circuit.HigherDegree(1)),
        // 3 and 9 calls of a degree-3 gadget: 6 and 9 gadget polynomial values the verifier must extend to.
        Arguments.of("HigherDegree(3)", new Circuit.HigherDegree(3)),
        Arguments.of("HigherDegree(9)", new Circuit.HigherDegree(9)),
        Arguments.of("SumVec64(1100,1,1)", new Circuit.SumVecDraft18(Field64.INSTANCE, 1100, 1, 1)));
  }

  private static long[] random(Field f, SplittableRandom rnd, int n) {
    long[] v = f.zeros(n);
    for (int i = 0; i < n; i++) {
      f.set(v, i, rnd.nextLong() >>> 1);
    }
    return v;
  }

  private static boolean run(FlpGeneric flp, long[] meas, SplittableRandom rnd, boolean tamperProof)
      throws VdafException {
    Circuit c = flp.circuit();
    Field f = c.field();
    long[] proveRand = random(f, rnd, c.proveRandLen());
    long[] jointRand = random(f, rnd, c.jointRandLen());
    long[] queryRand = random(f, rnd, c.queryRandLen());
    long[] proof = f.zeros(flp.proofLen());
    flp.prove(meas, proveRand, 0, jointRand, 0, proof, 0);
    if (tamperProof) {
      long[] one = f.zeros(1);
      f.set(one, 0, 1);
      int i = rnd.nextInt(flp.proofLen());
      f.add(proof, i, one, 0, proof, i);
    }
    long[] verifier = f.zeros(flp.verifierLen());
    flp.query(meas, proof, 0, queryRand, 0, jointRand, 0, 1, verifier, 0);
    return flp.decide(verifier, 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("circuits")
  void validAcceptedInvalidRejected(String name, Circuit c) throws Exception {
    System.out.println("FlpGenericTest " + name + " seed " + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    FlpGeneric flp = new FlpGeneric(c);
    Field f = c.field();
    for (int iter = 0; iter < 20; iter++) {
      long[] meas = f.zeros(c.measLen());
      c.encode(validMeasurement(c, rnd), meas);
      assertThat(run(flp, meas, rnd, false)).as("%s valid, iteration %d", name, iter).isTrue();
      assertThat(run(flp, meas, rnd, true)).as("%s tampered proof, iteration %d", name, iter).isFalse();
      // Push one encoded element out of its allowed set.
      long[] bad = meas.clone();
      long[] delta = f.zeros(1);
      f.set(delta, 0, 2 + rnd.nextInt(2)); // a bit plus 2 or 3 is never 0 or 1
      int i = rnd.nextInt(c.measLen());
      f.add(bad, i, delta, 0, bad, i);
      assertThat(run(flp, bad, rnd, false)).as("%s invalid, iteration %d", name, iter).isFalse();
    }
  }

  @ParameterizedTest(name = "draft 18 {0}")
  @MethodSource("draft18Circuits")
  void draft18ValidAcceptedInvalidRejected(String name, Circuit c) throws Exception {
    System.out.println("FlpGenericTest draft 18 " + name + " seed " + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    FlpGeneric flp = FlpGeneric.draft18(c);
    Field f = c.field();
    for (int iter = 0; iter < 20; iter++) {
      long[] meas = f.zeros(c.measLen());
      c.encode(validMeasurement(c, rnd), meas);
      assertThat(run(flp, meas, rnd, false)).as("%s valid, iteration %d", name, iter).isTrue();
      assertThat(run(flp, meas, rnd, true)).as("%s tampered proof, iteration %d", name, iter).isFalse();
      // Every encoded element of these circuits lies in {0, 1, 2}; adding 3 or 4 leaves every allowed set.
      long[] bad = meas.clone();
      long[] delta = f.zeros(1);
      f.set(delta, 0, 3 + rnd.nextInt(2));
      int i = rnd.nextInt(c.measLen());
      f.add(bad, i, delta, 0, bad, i);
      assertThat(run(flp, bad, rnd, false)).as("%s invalid, iteration %d", name, iter).isFalse();
    }
  }

  /** The range-checked encoding of draft 18 decodes back to every value in [0, max], at and around powers of 2. */
  @ParameterizedTest(name = "max {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 7, 8, 255, 256, 1337, 65535})
  void draft18RangeCheckedEncodingRoundTrips(long max) {
    Circuit c = new Circuit.SumDraft18(Field64.INSTANCE, max);
    Field f = c.field();
    for (long v = 0; v <= max; v++) {
      long[] meas = f.zeros(c.measLen());
      c.encode(new long[] {v}, meas);
      for (int i = 0; i < c.measLen(); i++) {
        long b = f.toLong(meas, i);
        assertThat(b == 0 || b == 1).as("max %d value %d digit %d", max, v, i).isTrue();
      }
      long[] out = f.zeros(1);
      c.truncate(meas, out);
      assertThat(f.toLong(out, 0)).as("max %d value %d", max, v).isEqualTo(v);
    }
    long over = max + 1;
    assertThatThrownBy(() -> c.encode(new long[] {over}, f.zeros(c.measLen())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The inversion-free Lagrange basis (an NTT of the powers of x) equals the barycentric one, at random points and
   * at roots of unity of the domain and of twice the domain, in both fields.
   */
  @Test
  void powerBasisMatchesBarycentricBasis() {
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (Field f : new Field[] {Field64.INSTANCE, Field128.INSTANCE}) {
      FlpGeneric flp = f == Field64.INSTANCE ? new FlpGeneric(new Circuit.Count()) : new FlpGeneric(new Circuit.Sum(2));
      for (int logP = 0; logP <= 11; logP++) {
        int p = 1 << logP;
        for (int iter = 0; iter < 6; iter++) {
          long[] x = iter < 4 ? random(f, rnd, 1) : f.zeros(1);
          if (iter == 4) {
            f.root(logP, false, x, 0);
            f.pow(x, 0, rnd.nextInt(p), x, 0); // a point of the domain: the basis is a unit vector
          } else if (iter == 5) {
            f.root(logP + 1, false, x, 0); // a 2P-th root outside the domain
          }
          long[] xp = f.zeros(1);
          f.pow(x, 0, p, xp, 0);
          long[] expected = flp.lagrangeAt(x, 0, xp, 0, logP);
          long[] actual = f.zeros(p + 1);
          flp.powerBasis(x, 0, logP, actual);
          for (int k = 0; k < p; k++) {
            assertThat(f.equal(actual, k, expected, k)).as("%s logP %d iteration %d k %d", f, logP, iter, k).isTrue();
          }
        }
      }
    }
  }

  @Test
  void draft18DegenerateQueryPointIsRejected() throws Exception {
    Circuit c = new Circuit.SumDraft18(Field64.INSTANCE, 7); // 3 calls over the 4th roots, 3 outputs to fold
    FlpGeneric flp = FlpGeneric.draft18(c);
    Field f = c.field();
    long[] meas = f.zeros(c.measLen());
    c.encode(new long[] {5}, meas);
    long[] rand = f.zeros(c.proveRandLen());
    f.set(rand, 0, 3);
    long[] proof = f.zeros(flp.proofLen());
    flp.prove(meas, rand, 0, rand, 0, proof, 0);
    long[] queryRand = f.zeros(c.queryRandLen());
    f.set(queryRand, 0, 1);
    f.root(2, false, queryRand, 3); // the test point follows the 3 folding coefficients
    assertThatThrownBy(() -> flp.query(meas, proof, 0, queryRand, 0, rand, 0, 1, f.zeros(flp.verifierLen()), 0))
        .isInstanceOf(VdafException.class);
  }

  @Test
  void degenerateQueryPointIsRejected() throws Exception {
    Circuit c = new Circuit.Sum(3); // 3 calls: wire polynomials over the 4th roots of unity
    FlpGeneric flp = new FlpGeneric(c);
    Field f = c.field();
    long[] meas = f.zeros(c.measLen());
    c.encode(new long[] {5}, meas);
    long[] rand = f.zeros(1);
    f.set(rand, 0, 3);
    long[] proof = f.zeros(flp.proofLen());
    flp.prove(meas, rand, 0, rand, 0, proof, 0);
    long[] root = f.zeros(1);
    f.root(2, false, root, 0);
    assertThatThrownBy(() -> flp.query(meas, proof, 0, root, 0, rand, 0, 1, f.zeros(flp.verifierLen()), 0))
        .isInstanceOf(VdafException.class);
  }

  private static long[] validMeasurement(Circuit c, SplittableRandom rnd) {
    return switch (c) {
      case Circuit.Count k -> new long[] {rnd.nextInt(2)};
      case Circuit.Sum s -> new long[] {rnd.nextLong(1L << Math.min(c.measLen(), 62))};
      case Circuit.SumVec s -> {
        long[] m = new long[c.outputLen()];
        int bits = c.measLen() / c.outputLen();
        for (int i = 0; i < m.length; i++) {
          m[i] = rnd.nextLong(1L << bits);
        }
        yield m;
      }
      case Circuit.Histogram h -> new long[] {rnd.nextInt(c.measLen())};
      case Circuit.MultiHotHistogram h -> {
        long[] m = new long[c.outputLen()];
        m[rnd.nextInt(m.length)] = 1;
        m[rnd.nextInt(m.length)] = 1;
        yield m;
      }
      case Circuit.SumDraft18 s -> new long[] {rnd.nextLong(maxOf(s) + 1)};
      case Circuit.SumVecDraft18 s -> {
        long[] m = new long[c.outputLen()];
        for (int i = 0; i < m.length; i++) {
          m[i] = rnd.nextLong(maxOf(s) + 1);
        }
        yield m;
      }
      case Circuit.HistogramDraft18 h -> new long[] {rnd.nextInt(c.measLen())};
      case Circuit.MultihotCountVec h -> {
        long[] m = new long[c.outputLen()];
        m[rnd.nextInt(m.length)] = 1;
        m[rnd.nextInt(m.length)] = 1;
        yield m;
      }
      case Circuit.HigherDegree h -> {
        long[] m = new long[c.measLen()];
        for (int i = 0; i < m.length; i++) {
          m[i] = rnd.nextInt(3);
        }
        yield m;
      }
    };
  }

  /** The largest value a draft-18 Sum or SumVec circuit accepts: the decoding of all ones. */
  private static long maxOf(Circuit c) {
    Field f = c.field();
    int bits = c.measLen() / c.outputLen();
    long[] ones = f.zeros(c.measLen());
    for (int i = 0; i < c.measLen(); i++) {
      f.set(ones, i, 1);
    }
    long[] out = f.zeros(c.outputLen());
    c.truncate(ones, out);
    long max = f.toLong(out, 0);
    assertThat(bits).isPositive();
    return max;
  }
}
