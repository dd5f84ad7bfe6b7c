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
        Arguments.of("MultiHot(6,3,2)", new Circuit.MultiHotHistogram(6, 3, 2)));
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
    };
  }
}
