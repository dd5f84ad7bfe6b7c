package io.janus.vdaf.internal;

/**
 * The field GF(p), p = 2^66 * 4611686018427387897 + 1 = 2^128 - 7 * 2^66 + 1 (draft-irtf-cfrg-vdaf-08
 * section 6.1, "Field128").
 *
 * <p>Each element is two longs {lo, hi} holding its Montgomery form x * 2^128 mod p. Because p = 1 mod 2^64, the
 * Montgomery constant -p^-1 mod 2^64 is -1, which keeps the reduction step to a negation and one 64x64
 * multiplication per limb.
 */
public final class Field128 extends Field {
  /** Low limb of the modulus. */
  static final long P0 = 1L;
  /** High limb of the modulus. */
  static final long P1 = 0xffffffffffffffe4L;
  /** (2^128)^2 mod p, low and high limbs: converts canonical values into Montgomery form. */
  static final long R2_LO = 0xfffffffffffffcf1L;
  static final long R2_HI = 0x5587L;
  /** 2^128 mod p: the Montgomery form of one. */
  static final long ONE_LO = 0xffffffffffffffffL;
  static final long ONE_HI = 0x1bL;
  /** The generator 7^4611686018427387897 of the subgroup of order 2^66 (canonical limbs). */
  static final long GENERATOR_LO = 0x1f9b2759c5109f06L;
  static final long GENERATOR_HI = 0x6d278fbf4f60228bL;
  static final int GEN_ORDER_LOG2 = 66;

  /** The single instance. */
  public static final Field128 INSTANCE = new Field128();

  private final long[] roots = new long[2 * (MAX_LOG_NTT + 1)];
  private final long[] invRoots = new long[2 * (MAX_LOG_NTT + 1)];
  private final long[] invPow2 = new long[2 * (MAX_LOG_NTT + 1)];

  private Field128() {
    long[] r = new long[2];
    montMul(GENERATOR_LO, GENERATOR_HI, R2_LO, R2_HI, r, 0);
    for (int i = GEN_ORDER_LOG2; i > MAX_LOG_NTT; i--) {
      mul(r, 0, r, 0, r, 0);
    }
    for (int i = MAX_LOG_NTT; i >= 0; i--) {
      copy(r, 0, roots, i);
      inv(r, 0, invRoots, i);
      mul(r, 0, r, 0, r, 0);
    }
    long[] half = new long[2];
    set(half, 0, 2);
    inv(half, 0, half, 0);
    set(invPow2, 0, 1);
    for (int i = 1; i <= MAX_LOG_NTT; i++) {
      mul(invPow2, i - 1, half, 0, invPow2, i);
    }
  }

  /** Carry out of s = a + b, as 0 or 1 (C2 compiles this to a flag read, not a branch). */
  private static long carry(long a, long b, long s) {
    return Long.compareUnsigned(s, a) < 0 ? 1 : 0;
  }

  /** Borrow out of d = a - b, as 0 or 1. */
  private static long borrow(long a, long b, long d) {
    return Long.compareUnsigned(a, b) < 0 ? 1 : 0;
  }

  /**
   * Montgomery product: writes a * b * 2^-128 mod p (canonical, as {lo, hi}) to r at long index ri. Operands
   * must be below p.
   */
  static void montMul(long a0, long a1, long b0, long b1, long[] r, int ri) {
    // CIOS with two 64-bit limbs; t is a three-limb accumulator (t0, t1, t2).
    // Step 1: t = a0 * b.
    long t0 = a0 * b0;
    long h = Math.unsignedMultiplyHigh(a0, b0);
    long x = a0 * b1;
    long t1 = x + h;
    long t2 = Math.unsignedMultiplyHigh(a0, b1) + carry(x, h, t1);
    // Reduce: m = t0 * (-p^-1) = -t0; t = (t + m * p) / 2^64. The low limb becomes zero and carries iff t0 != 0.
    long m = -t0;
    long c = t0 != 0 ? 1 : 0;
    long ml = m * P1;
    long mh = Math.unsignedMultiplyHigh(m, P1);
    long s = t1 + ml;
    long k = carry(t1, ml, s);
    long s2 = s + c;
    k += carry(s, c, s2);
    long u = t2 + mh;
    long k2 = carry(t2, mh, u);
    long u2 = u + k;
    k2 += carry(u, k, u2);
    t0 = s2;
    t1 = u2;
    t2 = k2;
    // Step 2: t += a1 * b.
    x = a1 * b0;
    h = Math.unsignedMultiplyHigh(a1, b0);
    s = t0 + x;
    k = carry(t0, x, s);
    t0 = s;
    long y = a1 * b1;
    long yh = Math.unsignedMultiplyHigh(a1, b1);
    s = t1 + y;
    long kk = carry(t1, y, s);
    s2 = s + h;
    kk += carry(s, h, s2);
    long s3 = s2 + k;
    kk += carry(s2, k, s3);
    t1 = s3;
    t2 = t2 + yh + kk;
    // Reduce again.
    m = -t0;
    c = t0 != 0 ? 1 : 0;
    ml = m * P1;
    mh = Math.unsignedMultiplyHigh(m, P1);
    s = t1 + ml;
    k = carry(t1, ml, s);
    s2 = s + c;
    k += carry(s, c, s2);
    u = t2 + mh;
    k2 = carry(t2, mh, u);
    u2 = u + k;
    k2 += carry(u, k, u2);
    // Result (s2, u2, k2) < 2p: subtract p once if needed. Rarely taken for Montgomery products, so a branch
    // predicts well here (unlike in add, which uses reduceOnce's masks).
    long lo = s2;
    long hi = u2;
    if (k2 != 0 || geqP(lo, hi)) {
      long borrowLo = lo == 0 ? 1 : 0;
      lo -= P0;
      hi = hi - P1 - borrowLo;
    }
    r[ri] = lo;
    r[ri + 1] = hi;
  }

  /** Writes (lo + hi * 2^64 + top * 2^128) mod p for a value below 2p. */
  private static void reduceOnce(long lo, long hi, long top, long[] r, int ri) {
    long nlo = lo - P0;
    long b0 = borrow(lo, P0, nlo);
    long nhi1 = hi - P1;
    long b1 = borrow(hi, P1, nhi1);
    long nhi = nhi1 - b0;
    b1 |= borrow(nhi1, b0, nhi);
    long mask = -((b1 ^ 1) | top); // all ones iff the value is at least p
    r[ri] = lo ^ ((lo ^ nlo) & mask);
    r[ri + 1] = hi ^ ((hi ^ nhi) & mask);
  }

  private static boolean geqP(long lo, long hi) {
    int c = Long.compareUnsigned(hi, P1);
    return c > 0 || (c == 0 && Long.compareUnsigned(lo, P0) >= 0);
  }

  @Override
  public int limbs() {
    return 2;
  }

  @Override
  public int encodedSize() {
    return 16;
  }

  @Override
  public int genOrderLog2() {
    return GEN_ORDER_LOG2;
  }

  @Override
  public void set(long[] r, int i, long v) {
    // v < 2^64 < p, so it is already canonical.
    montMul(v, 0, R2_LO, R2_HI, r, 2 * i);
  }

  @Override
  public void copy(long[] src, int si, long[] dst, int di) {
    dst[2 * di] = src[2 * si];
    dst[2 * di + 1] = src[2 * si + 1];
  }

  @Override
  public void add(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    add(a[2 * ai], a[2 * ai + 1], b[2 * bi], b[2 * bi + 1], r, 2 * ri);
  }

  private static void add(long a0, long a1, long b0, long b1, long[] r, int ri) {
    long lo = a0 + b0;
    long c = carry(a0, b0, lo);
    long hi1 = a1 + b1;
    long c1 = carry(a1, b1, hi1);
    long hi = hi1 + c;
    c1 += carry(hi1, c, hi);
    reduceOnce(lo, hi, c1, r, ri);
  }

  @Override
  public void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    sub(a[2 * ai], a[2 * ai + 1], b[2 * bi], b[2 * bi + 1], r, 2 * ri);
  }

  private static void sub(long a0, long a1, long b0, long b1, long[] r, int ri) {
    long lo = a0 - b0;
    long bo = borrow(a0, b0, lo);
    long hi1 = a1 - b1;
    long bo1 = borrow(a1, b1, hi1);
    long hi = hi1 - bo;
    bo1 |= borrow(hi1, bo, hi);
    // On borrow, add p back (mask selects p or zero).
    long mask = -bo1;
    long plo = P0 & mask;
    long phi = P1 & mask;
    long nlo = lo + plo;
    r[ri] = nlo;
    r[ri + 1] = hi + phi + carry(lo, plo, nlo);
  }

  @Override
  public void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    montMul(a[2 * ai], a[2 * ai + 1], b[2 * bi], b[2 * bi + 1], r, 2 * ri);
  }

  @Override
  public void mulAdd(long[] a, int ai, long[] b, int bi, long[] acc, int ci) {
    long lo = acc[2 * ci];
    long hi = acc[2 * ci + 1];
    montMul(a[2 * ai], a[2 * ai + 1], b[2 * bi], b[2 * bi + 1], acc, 2 * ci);
    add(acc[2 * ci], acc[2 * ci + 1], lo, hi, acc, 2 * ci);
  }

  @Override
  public void neg(long[] a, int ai, long[] r, int ri) {
    sub(0, 0, a[2 * ai], a[2 * ai + 1], r, 2 * ri);
  }

  @Override
  public boolean isZero(long[] a, int i) {
    return (a[2 * i] | a[2 * i + 1]) == 0;
  }

  @Override
  public boolean equal(long[] a, int ai, long[] b, int bi) {
    return a[2 * ai] == b[2 * bi] && a[2 * ai + 1] == b[2 * bi + 1];
  }

  @Override
  public boolean isOne(long[] a, int i) {
    return a[2 * i] == ONE_LO && a[2 * i + 1] == ONE_HI;
  }

  @Override
  public void inv(long[] a, int ai, long[] r, int ri) {
    // Fermat: a^(p-2), p - 2 = ((P1 - 1) << 64) | (2^64 - 1).
    long[] base = new long[2];
    copy(a, ai, base, 0);
    long[] acc = new long[] {ONE_LO, ONE_HI};
    long e = -1L; // low limb of p - 2: 2^64 - 1
    for (int bit = 0; bit < 64; bit++) {
      if (((e >>> bit) & 1) != 0) {
        mul(acc, 0, base, 0, acc, 0);
      }
      mul(base, 0, base, 0, base, 0);
    }
    e = P1 - 1;
    for (int bit = 0; bit < 64; bit++) {
      if (((e >>> bit) & 1) != 0) {
        mul(acc, 0, base, 0, acc, 0);
      }
      mul(base, 0, base, 0, base, 0);
    }
    copy(acc, 0, r, ri);
  }

  @Override
  public void addVec(long[] acc, long[] x, int n) {
    for (int i = 0; i < 2 * n; i += 2) {
      add(acc[i], acc[i + 1], x[i], x[i + 1], acc, i);
    }
  }

  @Override
  public void subVec(long[] acc, long[] x, int n) {
    for (int i = 0; i < 2 * n; i += 2) {
      sub(acc[i], acc[i + 1], x[i], x[i + 1], acc, i);
    }
  }

  @Override
  public void encode(long[] v, int off, int n, byte[] out, int outOff) {
    long[] t = new long[2];
    for (int i = 0; i < n; i++) {
      montMul(v[2 * (off + i)], v[2 * (off + i) + 1], 1, 0, t, 0);
      Bytes.putLongLe(out, outOff + 16 * i, t[0]);
      Bytes.putLongLe(out, outOff + 16 * i + 8, t[1]);
    }
  }

  @Override
  public boolean decode(byte[] in, int inOff, int n, long[] v, int off) {
    boolean ok = true;
    for (int i = 0; i < n; i++) {
      long lo = Bytes.getLongLe(in, inOff + 16 * i);
      long hi = Bytes.getLongLe(in, inOff + 16 * i + 8);
      boolean canonical = !geqP(lo, hi);
      ok &= canonical;
      if (canonical) {
        montMul(lo, hi, R2_LO, R2_HI, v, 2 * (off + i));
      }
    }
    return ok;
  }

  @Override
  public boolean isCanonical(byte[] in, int inOff, int n) {
    boolean ok = true;
    for (int i = 0; i < n; i++) {
      ok &= !geqP(Bytes.getLongLe(in, inOff + 16 * i), Bytes.getLongLe(in, inOff + 16 * i + 8));
    }
    return ok;
  }

  /**
   * Converts a canonical value {lo, hi} (below p, for example sampled by an XOF) into element {@code i} of v.
   *
   * @return false, leaving v untouched, if the value is not below p
   */
  boolean fromCanonical(long lo, long hi, long[] v, int i) {
    if (geqP(lo, hi)) {
      return false;
    }
    montMul(lo, hi, R2_LO, R2_HI, v, 2 * i);
    return true;
  }

  @Override
  public long toLong(long[] a, int i) {
    long[] t = new long[2];
    montMul(a[2 * i], a[2 * i + 1], 1, 0, t, 0);
    return (t[1] != 0 || t[0] < 0) ? -1 : t[0];
  }

  @Override
  public long[] toUnsigned(long[] a, int i) {
    long[] t = new long[2];
    montMul(a[2 * i], a[2 * i + 1], 1, 0, t, 0);
    return t;
  }

  /** Bit-reversal, then iterative Cooley-Tukey butterflies with the arithmetic inlined: the FLP's hot loop. */
  @Override
  public void ntt(long[] a, int off, int logN, boolean inverse, boolean scale) {
    int n = 1 << logN;
    bitReverse(a, off, n);
    long[] w = new long[2];
    for (int s = 1; s <= logN; s++) {
      int m = 1 << s;
      int half = m >> 1;
      long[] table = inverse ? invRoots : roots;
      long wm0 = table[2 * s];
      long wm1 = table[2 * s + 1];
      w[0] = ONE_LO;
      w[1] = ONE_HI;
      for (int j = 0; j < half; j++) {
        long w0 = w[0];
        long w1 = w[1];
        for (int k = 2 * (off + j); k < 2 * (off + n); k += 2 * m) {
          int v = k + 2 * half;
          montMul(a[v], a[v + 1], w0, w1, a, v); // a[v] = t = a[v] * w
          long u0 = a[k];
          long u1 = a[k + 1];
          long t0 = a[v];
          long t1 = a[v + 1];
          add(u0, u1, t0, t1, a, k);
          sub(u0, u1, t0, t1, a, v);
        }
        montMul(w0, w1, wm0, wm1, w, 0);
      }
    }
    if (scale) {
      long s0 = invPow2[2 * logN];
      long s1 = invPow2[2 * logN + 1];
      for (int i = 2 * off; i < 2 * (off + n); i += 2) {
        montMul(a[i], a[i + 1], s0, s1, a, i);
      }
    }
  }

  @Override
  public void root(int logN, boolean inverse, long[] r, int ri) {
    copy(inverse ? invRoots : roots, logN, r, ri);
  }

  @Override
  public void invPow2(int logN, long[] r, int ri) {
    copy(invPow2, logN, r, ri);
  }
}
