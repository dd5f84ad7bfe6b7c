package io.janus.vdaf.internal;

/**
 * An extendable-output function of draft-irtf-cfrg-vdaf-08 section 6.2: keyed by a seed and a domain separation
 * tag, bound to a binder string, producing an unbounded byte stream.
 *
 * <p>Lifecycle: construct with the seed and DST, {@link #absorb} the binder (in any number of pieces), then read
 * with {@link #next}; absorbing after the first read is an {@link IllegalStateException}. Not thread-safe.
 */
public abstract sealed class Xof permits XofTurboShake128, XofFixedKeyAes128, XofHmacSha256Aes128 {
  /** Seed size in bytes of both draft-08 XOFs ({@link XofHmacSha256Aes128} has its own). */
  public static final int SEED_SIZE = 16;

  private final byte[] sampleBuffer = new byte[512];

  Xof() {}

  /**
   * Formats a (V)DAF domain separation tag: document version (1 byte), algorithm class (1 byte), algorithm ID
   * (4 bytes big-endian), usage (2 bytes big-endian). The version is a parameter so that each VDAF draft's
   * constants class supplies its own.
   */
  public static byte[] formatDst(int version, int algorithmClass, int algorithmId, int usage) {
    byte[] d = new byte[8];
    d[0] = (byte) version;
    d[1] = (byte) algorithmClass;
    Bytes.putIntBe(d, 2, algorithmId);
    d[6] = (byte) (usage >>> 8);
    d[7] = (byte) usage;
    return d;
  }

  static void checkSeedAndDst(byte[] seed, int seedSize, byte[] dst) {
    checkSeedAndDst(seed, seedSize, dst, 255);
  }

  /** As {@link #checkSeedAndDst(byte[], int, byte[])} for a DST length prefix that allows {@code maxDst} bytes. */
  static void checkSeedAndDst(byte[] seed, int seedSize, byte[] dst, int maxDst) {
    if (seed.length != seedSize) {
      throw new IllegalArgumentException("XOF seed must be " + seedSize + " bytes, got " + seed.length);
    }
    if (dst.length > maxDst) {
      throw new IllegalArgumentException("domain separation tag longer than " + maxDst + " bytes");
    }
  }

  /** Appends {@code len} bytes of {@code b} from {@code off} to the binder string. */
  public abstract void absorb(byte[] b, int off, int len);

  /** Appends all of {@code b} to the binder string. */
  public final void absorb(byte[] b) {
    absorb(b, 0, b.length);
  }

  /** Appends one byte to the binder string. */
  public abstract void absorb(int b);

  /** Writes the next {@code len} bytes of the output stream into {@code out} at {@code off}. */
  public abstract void next(byte[] out, int off, int len);

  /** Returns the next {@code len} bytes of the output stream. */
  public final byte[] next(int len) {
    byte[] out = new byte[len];
    next(out, 0, len);
    return out;
  }

  /**
   * Fills elements {@code [off, off+n)} of {@code v} with field elements sampled from the stream by rejection
   * ("next_vec"): each candidate is {@code encodedSize} little-endian bytes, masked to the bit length of p (a
   * no-op for Field64 and Field128), and kept only if below p.
   */
  public final void nextVec(Field field, long[] v, int off, int n) {
    int size = field.encodedSize();
    int perBuffer = sampleBuffer.length / size;
    int i = 0;
    while (i < n) {
      // Read only as many candidates as still needed, so the stream position matches the reference exactly.
      int want = Math.min(perBuffer, n - i);
      next(sampleBuffer, 0, want * size);
      for (int j = 0; j < want; j++) {
        if (sample(field, sampleBuffer, j * size, v, off + i)) {
          i++;
        }
      }
    }
  }

  private static boolean sample(Field field, byte[] buf, int pos, long[] v, int idx) {
    if (field instanceof Field64) {
      long x = Bytes.getLongLe(buf, pos);
      if (Long.compareUnsigned(x, Field64.MODULUS) < 0) {
        v[idx] = x;
        return true;
      }
      return false;
    }
    return ((Field128) field)
        .fromCanonical(Bytes.getLongLe(buf, pos), Bytes.getLongLe(buf, pos + 8), v, idx);
  }
}
