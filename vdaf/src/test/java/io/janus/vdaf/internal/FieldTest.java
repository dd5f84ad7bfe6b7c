package io.janus.vdaf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Field64 and Field128 arithmetic, encoding and NTT checked against BigInteger, and the precomputed constants
 * re-derived from the draft's definitions (draft-irtf-cfrg-vdaf-08 section 6.1).
 */
class FieldTest {
  private static final long SEED = 0x5eed_f1e1dL;
  static final BigInteger P64 = BigInteger.TWO.pow(32).multiply(BigInteger.valueOf(4294967295L)).add(BigInteger.ONE);
  static final BigInteger P128 =
      BigInteger.TWO.pow(66).multiply(BigInteger.valueOf(4611686018427387897L)).add(BigInteger.ONE);

  static Stream<Field> fields() {
    return Stream.of(Field64.INSTANCE, Field128.INSTANCE);
  }

  static BigInteger modulus(Field f) {
    return f instanceof Field64 ? P64 : P128;
  }

  static BigInteger value(Field f, long[] a, int i) {
    long[] u = f.toUnsigned(a, i);
    return new BigInteger(Long.toUnsignedString(u[1])).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(u[0])));
  }

  /** Sets a[i] from a BigInteger below p, through the canonical decoder. */
  static void setValue(Field f, long[] a, int i, BigInteger v) {
    byte[] le = new byte[f.encodedSize()];
    byte[] be = v.toByteArray();
    for (int k = 0; k < be.length && k < le.length; k++) {
      le[k] = be[be.length - 1 - k];
    }
    assertThat(f.decode(le, 0, 1, a, i)).isTrue();
  }

  static BigInteger random(SplittableRandom rnd, BigInteger p) {
    // Bias toward edge values: 0, 1, p-1, small and large.
    return switch (rnd.nextInt(6)) {
      case 0 -> BigInteger.ZERO;
      case 1 -> p.subtract(BigInteger.ONE);
      case 2 -> BigInteger.valueOf(rnd.nextInt(1000));
      case 3 -> p.subtract(BigInteger.valueOf(1 + rnd.nextInt(1000)));
      default -> new BigInteger(p.bitLength() + 8, new java.util.Random(rnd.nextLong())).mod(p);
    };
  }

  @ParameterizedTest
  @MethodSource("fields")
  void arithmeticMatchesBigInteger(Field f) {
    System.out.println("FieldTest seed " + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    BigInteger p = modulus(f);
    long[] v = f.zeros(4);
    for (int iter = 0; iter < 20_000; iter++) {
      BigInteger a = random(rnd, p);
      BigInteger b = random(rnd, p);
      setValue(f, v, 0, a);
      setValue(f, v, 1, b);
      assertThat(value(f, v, 0)).isEqualTo(a);
      f.add(v, 0, v, 1, v, 2);
      assertThat(value(f, v, 2)).as("%s + %s", a, b).isEqualTo(a.add(b).mod(p));
      f.sub(v, 0, v, 1, v, 2);
      assertThat(value(f, v, 2)).as("%s - %s", a, b).isEqualTo(a.subtract(b).mod(p));
      f.mul(v, 0, v, 1, v, 2);
      assertThat(value(f, v, 2)).as("%s * %s", a, b).isEqualTo(a.multiply(b).mod(p));
      f.copy(v, 2, v, 3);
      f.mulAdd(v, 0, v, 1, v, 3);
      assertThat(value(f, v, 3)).isEqualTo(a.multiply(b).shiftLeft(1).mod(p));
      f.neg(v, 0, v, 2);
      assertThat(value(f, v, 2)).isEqualTo(a.negate().mod(p));
      if (iter % 50 == 0) {
        f.inv(v, 0, v, 2);
        assertThat(value(f, v, 2)).isEqualTo(a.signum() == 0 ? BigInteger.ZERO : a.modInverse(p));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void encodingIsCanonicalLittleEndian(Field f) {
    BigInteger p = modulus(f);
    int size = f.encodedSize();
    long[] v = f.zeros(1);
    byte[] enc = new byte[size];
    // p - 1 encodes little-endian and decodes back.
    setValue(f, v, 0, p.subtract(BigInteger.ONE));
    f.encode(v, 0, 1, enc, 0);
    byte[] be = p.subtract(BigInteger.ONE).toByteArray();
    for (int k = 0; k < size; k++) {
      assertThat(enc[k]).isEqualTo(be[be.length - 1 - k]);
    }
    // p itself and all-ones are rejected.
    byte[] pBytes = new byte[size];
    byte[] pbe = p.toByteArray();
    for (int k = 0; k < size; k++) {
      pBytes[k] = pbe[pbe.length - 1 - k];
    }
    assertThat(f.decode(pBytes, 0, 1, v, 0)).isFalse();
    assertThat(f.isCanonical(pBytes, 0, 1)).isFalse();
    assertThat(f.decode(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}, 0, 1, v, 0))
        .isFalse();
    assertThat(f.isCanonical(enc, 0, 1)).isTrue();
    f.set(v, 0, 5);
    f.encode(v, 0, 1, enc, 0);
    assertThat(enc[0]).isEqualTo((byte) 5);
  }

  /** isCanonical answers as decode does, on values around p and at random, alone and within a vector. */
  @ParameterizedTest
  @MethodSource("fields")
  void isCanonicalAgreesWithDecode(Field f) {
    System.out.println("FieldTest seed " + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    BigInteger p = modulus(f);
    int size = f.encodedSize();
    List<BigInteger> edges = List.of(BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p,
        p.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(8 * size).subtract(BigInteger.ONE));
    long[] v = f.zeros(3);
    for (int iter = 0; iter < 2000; iter++) {
      byte[] in = new byte[3 * size];
      for (int e = 0; e < 3; e++) {
        BigInteger x = iter < edges.size() && e == 1 ? edges.get(iter) : randomValue(rnd, p, size);
        byte[] be = x.toByteArray();
        for (int k = 0; k < size && k < be.length; k++) {
          in[e * size + k] = be[be.length - 1 - k];
        }
      }
      assertThat(f.isCanonical(in, 0, 3)).as("seed %d iteration %d", SEED, iter)
          .isEqualTo(f.decode(in, 0, 3, v, 0));
      assertThat(f.isCanonical(in, size, 1)).isEqualTo(f.decode(in, size, 1, v, 0));
    }
  }

  /** Uniform below 2^(8 size) half the time, otherwise within 512 of p, on either side. */
  private static BigInteger randomValue(SplittableRandom rnd, BigInteger p, int size) {
    byte[] b = new byte[size + 1];
    rnd.nextBytes(b);
    b[0] = 0;
    return rnd.nextBoolean() ? new BigInteger(b) : p.add(BigInteger.valueOf(rnd.nextInt(1024) - 512));
  }

  @Test
  void field128ConstantsMatchDefinitions() {
    BigInteger r = BigInteger.ONE.shiftLeft(128);
    assertThat(limbs(Field128.P0, Field128.P1)).isEqualTo(P128);
    assertThat(limbs(Field128.R2_LO, Field128.R2_HI)).isEqualTo(r.multiply(r).mod(P128));
    assertThat(limbs(Field128.ONE_LO, Field128.ONE_HI)).isEqualTo(r.mod(P128));
    assertThat(limbs(Field128.GENERATOR_LO, Field128.GENERATOR_HI))
        .isEqualTo(BigInteger.valueOf(7).modPow(BigInteger.valueOf(4611686018427387897L), P128));
  }

  @Test
  void field64ConstantsMatchDefinitions() {
    assertThat(new BigInteger(Long.toUnsignedString(Field64.MODULUS))).isEqualTo(P64);
    assertThat(new BigInteger(Long.toUnsignedString(Field64.GENERATOR)))
        .isEqualTo(BigInteger.valueOf(7).modPow(BigInteger.valueOf(4294967295L), P64));
  }

  private static BigInteger limbs(long lo, long hi) {
    return new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
  }

  @ParameterizedTest
  @MethodSource("fields")
  void rootsAreGeneratorPowers(Field f) {
    BigInteger p = modulus(f);
    BigInteger gen = f instanceof Field64
        ? BigInteger.valueOf(7).modPow(BigInteger.valueOf(4294967295L), p)
        : BigInteger.valueOf(7).modPow(BigInteger.valueOf(4611686018427387897L), p);
    long[] r = f.zeros(1);
    for (int log = 0; log <= Field.MAX_LOG_NTT; log++) {
      BigInteger want = gen.modPow(BigInteger.ONE.shiftLeft(f.genOrderLog2() - log), p);
      f.root(log, false, r, 0);
      assertThat(value(f, r, 0)).as("root 2^%d", log).isEqualTo(want);
      f.root(log, true, r, 0);
      assertThat(value(f, r, 0)).isEqualTo(want.modInverse(p));
      f.invPow2(log, r, 0);
      assertThat(value(f, r, 0)).isEqualTo(BigInteger.ONE.shiftLeft(log).modInverse(p));
    }
    // The generator has order exactly 2^GEN_ORDER.
    assertThat(gen.modPow(BigInteger.ONE.shiftLeft(f.genOrderLog2()), p)).isEqualTo(BigInteger.ONE);
    assertThat(gen.modPow(BigInteger.ONE.shiftLeft(f.genOrderLog2() - 1), p)).isNotEqualTo(BigInteger.ONE);
  }

  @ParameterizedTest
  @MethodSource("fields")
  void nttEvaluatesAtRootsAndInverts(Field f) {
    SplittableRandom rnd = new SplittableRandom(SEED);
    BigInteger p = modulus(f);
    for (int log = 0; log <= 6; log++) {
      int n = 1 << log;
      long[] coeffs = f.zeros(n);
      for (int i = 0; i < n; i++) {
        setValue(f, coeffs, i, random(rnd, p));
      }
      long[] evals = coeffs.clone();
      f.ntt(evals, 0, log, false);
      long[] w = f.zeros(2);
      f.root(log, false, w, 0);
      f.set(w, 1, 1); // w^k
      long[] y = f.zeros(1);
      for (int k = 0; k < n; k++) {
        f.polyEval(coeffs, 0, n, w, 1, y, 0);
        assertThat(f.equal(evals, k, y, 0)).as("n=%d k=%d", n, k).isTrue();
        f.mul(w, 1, w, 0, w, 1);
      }
      f.ntt(evals, 0, log, true);
      assertThat(evals).isEqualTo(coeffs);
    }
  }
}
