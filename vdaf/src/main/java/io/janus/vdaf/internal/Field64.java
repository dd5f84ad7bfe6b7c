package io.janus.vdaf.internal;

/**
 * The field GF(p), p = 2^64 - 2^32 + 1 (draft-irtf-cfrg-vdaf-08 section 6.1, "Field64"), one canonical long per
 * element (compared unsigned).
 */
public final class Field64 extends Field {
  /** The modulus 2^32 * 4294967295 + 1. */
  public static final long MODULUS = 0xffffffff00000001L;
  /** 2^64 mod p, i.e. 2^32 - 1. */
  private static final long EPSILON = 0xffffffffL;
  /** The generator 7^4294967295 of the subgroup of order 2^32. */
  static final long GENERATOR = 0x185629dcda58878cL;
  static final int GEN_ORDER_LOG2 = 32;

  /** The single instance. */
  public static final Field64 INSTANCE = new Field64();

  private final long[] roots = new long[MAX_LOG_NTT + 1];
  private final long[] invRoots = new long[MAX_LOG_NTT + 1];
  private final long[] invPow2 = new long[MAX_LOG_NTT + 1];

  private Field64() {
    long r = GENERATOR;
    for (int i = GEN_ORDER_LOG2; i > MAX_LOG_NTT; i--) {
      r = mul(r, r);
    }
    for (int i = MAX_LOG_NTT; i >= 0; i--) {
      roots[i] = r;
      invRoots[i] = inv(r);
      r = mul(r, r);
    }
    long half = inv(2);
    invPow2[0] = 1;
    for (int i = 1; i <= MAX_LOG_NTT; i++) {
      invPow2[i] = mul(invPow2[i - 1], half);
    }
  }

  /** Returns (a + b) mod p for canonical operands. */
  public static long add(long a, long b) {
    // Masks instead of branches: share values are uniformly random, so branches would mispredict.
    long s = a + b;
    long carry = Long.compareUnsigned(s, a) < 0 ? -1L : 0L; // a + b overflowed 64 bits
    // a + b >= 2^64 means s + EPSILON is the reduced value; otherwise reduce s once if it is >= p.
    s += EPSILON & carry;
    return canonical(s);
  }

  /** Maps s in [0, 2^64) to s mod p. */
  private static long canonical(long s) {
    long over = Long.compareUnsigned(s, MODULUS) >= 0 ? -1L : 0L;
    return s - (MODULUS & over);
  }

  /** Returns (a - b) mod p for canonical operands. */
  public static long sub(long a, long b) {
    long d = a - b;
    long borrow = Long.compareUnsigned(a, b) < 0 ? -1L : 0L;
    return d + (MODULUS & borrow);
  }

  /** Returns (a * b) mod p for canonical operands. */
  public static long mul(long a, long b) {
    return reduce128(Math.unsignedMultiplyHigh(a, b), a * b);
  }

  /** Reduces hi*2^64 + lo modulo p using 2^64 = 2^32 - 1 and 2^96 = -1 (mod p), without branches. */
  private static long reduce128(long hi, long lo) {
    long hiHi = hi >>> 32;
    long hiLo = hi & EPSILON;
    long t0 = lo - hiHi;
    long borrow = Long.compareUnsigned(lo, hiHi) < 0 ? -1L : 0L;
    t0 -= EPSILON & borrow; // borrowed 2^64, which is 2^32 - 1 mod p; cannot underflow here
    long t1 = hiLo * EPSILON;
    long t2 = t0 + t1;
    long carry = Long.compareUnsigned(t2, t1) < 0 ? -1L : 0L;
    t2 += EPSILON & carry; // carried 2^64; t2 < t1 <= 2^64 - 2^33 + 1 so this cannot carry again
    return canonical(t2);
  }

  /** Returns a^-1 mod p (zero maps to zero). */
  public static long inv(long a) {
    long e = MODULUS - 2;
    long acc = 1;
    long base = a;
    while (e != 0) {
      if ((e & 1) != 0) {
        acc = mul(acc, base);
      }
      base = mul(base, base);
      e >>>= 1;
    }
    return acc;
  }

  @Override
  public int limbs() {
    return 1;
  }

  @Override
  public int encodedSize() {
    return 8;
  }

  @Override
  public int genOrderLog2() {
    return GEN_ORDER_LOG2;
  }

  @Override
  public void set(long[] r, int i, long v) {
    r[i] = Long.compareUnsigned(v, MODULUS) >= 0 ? v - MODULUS : v;
  }

  @Override
  public void copy(long[] src, int si, long[] dst, int di) {
    dst[di] = src[si];
  }

  @Override
  public void add(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    r[ri] = add(a[ai], b[bi]);
  }

  @Override
  public void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    r[ri] = sub(a[ai], b[bi]);
  }

  @Override
  public void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    r[ri] = mul(a[ai], b[bi]);
  }

  @Override
  public void mulAdd(long[] a, int ai, long[] b, int bi, long[] acc, int ci) {
    acc[ci] = add(acc[ci], mul(a[ai], b[bi]));
  }

  @Override
  public void neg(long[] a, int ai, long[] r, int ri) {
    r[ri] = sub(0, a[ai]);
  }

  @Override
  public boolean isZero(long[] a, int i) {
    return a[i] == 0;
  }

  @Override
  public boolean equal(long[] a, int ai, long[] b, int bi) {
    return a[ai] == b[bi];
  }

  @Override
  public boolean isOne(long[] a, int i) {
    return a[i] == 1;
  }

  @Override
  public void inv(long[] a, int ai, long[] r, int ri) {
    r[ri] = inv(a[ai]);
  }

  @Override
  public void addVec(long[] acc, long[] x, int n) {
    for (int i = 0; i < n; i++) {
      acc[i] = add(acc[i], x[i]);
    }
  }

  @Override
  public void subVec(long[] acc, long[] x, int n) {
    for (int i = 0; i < n; i++) {
      acc[i] = sub(acc[i], x[i]);
    }
  }

  @Override
  public void encode(long[] v, int off, int n, byte[] out, int outOff) {
    for (int i = 0; i < n; i++) {
      Bytes.putLongLe(out, outOff + 8 * i, v[off + i]);
    }
  }

  @Override
  public boolean decode(byte[] in, int inOff, int n, long[] v, int off) {
    boolean ok = true;
    for (int i = 0; i < n; i++) {
      long x = Bytes.getLongLe(in, inOff + 8 * i);
      ok &= Long.compareUnsigned(x, MODULUS) < 0;
      v[off + i] = x;
    }
    return ok;
  }

  @Override
  public boolean isCanonical(byte[] in, int inOff, int n) {
    boolean ok = true;
    for (int i = 0; i < n; i++) {
      ok &= Long.compareUnsigned(Bytes.getLongLe(in, inOff + 8 * i), MODULUS) < 0;
    }
    return ok;
  }

  @Override
  public long toLong(long[] a, int i) {
    return a[i] < 0 ? -1 : a[i];
  }

  @Override
  public long[] toUnsigned(long[] a, int i) {
    return new long[] {a[i], 0};
  }

  /** Bit-reversal, then iterative Cooley-Tukey butterflies with the arithmetic inlined: the FLP's hot loop. */
  @Override
  public void ntt(long[] a, int off, int logN, boolean inverse, boolean scale) {
    int n = 1 << logN;
    bitReverse(a, off, n);
    for (int s = 1; s <= logN; s++) {
      int m = 1 << s;
      int half = m >> 1;
      long wm = inverse ? invRoots[s] : roots[s];
      long w = 1;
      for (int j = 0; j < half; j++) {
        for (int k = off + j; k < off + n; k += m) {
          long u = a[k];
          long t = mul(a[k + half], w);
          a[k] = add(u, t);
          a[k + half] = sub(u, t);
        }
        w = mul(w, wm);
      }
    }
    if (scale) {
      long factor = invPow2[logN];
      for (int i = off; i < off + n; i++) {
        a[i] = mul(a[i], factor);
      }
    }
  }

  @Override
  public void root(int logN, boolean inverse, long[] r, int ri) {
    r[ri] = inverse ? invRoots[logN] : roots[logN];
  }

  @Override
  public void invPow2(int logN, long[] r, int ri) {
    r[ri] = invPow2[logN];
  }
}
