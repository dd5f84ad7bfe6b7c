package io.janus.vdaf.internal;

/**
 * TurboSHAKE128 (draft-irtf-cfrg-kangarootwelve): a sponge over Keccak-p[1600, 12 rounds] with a 168-byte rate
 * and a caller-chosen domain-separation byte. Absorb with {@link #update}, then read any amount of output with
 * {@link #squeeze}; absorbing after the first squeeze is not allowed.
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class TurboShake128 {
  private static final int RATE = 168;
  private static final long[] ROUND_CONSTANTS = {
    // The last 12 of the 24 Keccak-f[1600] round constants.
    0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L,
  };

  private final long[] state = new long[25];
  private final byte[] block = new byte[RATE];
  private final byte domain;
  private int pos;
  private boolean squeezing;

  /**
   * Starts a stream with the given domain-separation byte.
   *
   * @param domain in [0x01, 0x7f]
   */
  public TurboShake128(int domain) {
    if (domain < 0x01 || domain > 0x7f) {
      throw new IllegalArgumentException("TurboSHAKE domain byte out of range: " + domain);
    }
    this.domain = (byte) domain;
  }

  /** Absorbs one byte. */
  public void update(int b) {
    if (squeezing) {
      throw new IllegalStateException("absorb after squeeze");
    }
    block[pos++] = (byte) b;
    if (pos == RATE) {
      absorbBlock();
    }
  }

  /** Absorbs {@code len} bytes of {@code in} starting at {@code off}. */
  public void update(byte[] in, int off, int len) {
    if (squeezing) {
      throw new IllegalStateException("absorb after squeeze");
    }
    while (len > 0) {
      int n = Math.min(len, RATE - pos);
      System.arraycopy(in, off, block, pos, n);
      pos += n;
      off += n;
      len -= n;
      if (pos == RATE) {
        absorbBlock();
      }
    }
  }

  /** Absorbs all of {@code in}. */
  public void update(byte[] in) {
    update(in, 0, in.length);
  }

  /** Writes the next {@code len} output bytes into {@code out} at {@code off}. */
  public void squeeze(byte[] out, int off, int len) {
    if (!squeezing) {
      // Pad: domain byte after the message, then 0x80 into the last byte of the rate.
      java.util.Arrays.fill(block, pos, RATE, (byte) 0);
      block[pos] ^= domain;
      block[RATE - 1] ^= (byte) 0x80;
      absorbBlock();
      squeezing = true;
      extract();
    }
    while (len > 0) {
      if (pos == RATE) {
        permute(state);
        extract();
      }
      int n = Math.min(len, RATE - pos);
      System.arraycopy(block, pos, out, off, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  /** Returns the next {@code len} output bytes. */
  public byte[] squeeze(int len) {
    byte[] out = new byte[len];
    squeeze(out, 0, len);
    return out;
  }

  private void absorbBlock() {
    for (int i = 0; i < RATE / 8; i++) {
      state[i] ^= Bytes.getLongLe(block, 8 * i);
    }
    permute(state);
    pos = 0;
  }

  private void extract() {
    for (int i = 0; i < RATE / 8; i++) {
      Bytes.putLongLe(block, 8 * i, state[i]);
    }
    pos = 0;
  }

  /** Keccak-p[1600, 12]: rounds 12..23 of Keccak-f[1600], unrolled over the 5x5 lanes. */
  static void permute(long[] s) {
    long a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4];
    long a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9];
    long a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
    long a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
    long a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
    for (long rc : ROUND_CONSTANTS) {
      // theta
      long c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
      long c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
      long c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
      long c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
      long c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
      long d0 = c4 ^ Long.rotateLeft(c1, 1);
      long d1 = c0 ^ Long.rotateLeft(c2, 1);
      long d2 = c1 ^ Long.rotateLeft(c3, 1);
      long d3 = c2 ^ Long.rotateLeft(c4, 1);
      long d4 = c3 ^ Long.rotateLeft(c0, 1);
      // rho and pi: b[y][2x+3y] = rot(a[x][y], r[x][y]); lane index is x + 5y.
      long b00 = a00 ^ d0;
      long b10 = Long.rotateLeft(a01 ^ d1, 1);
      long b20 = Long.rotateLeft(a02 ^ d2, 62);
      long b05 = Long.rotateLeft(a03 ^ d3, 28);
      long b15 = Long.rotateLeft(a04 ^ d4, 27);
      long b16 = Long.rotateLeft(a05 ^ d0, 36);
      long b01 = Long.rotateLeft(a06 ^ d1, 44);
      long b11 = Long.rotateLeft(a07 ^ d2, 6);
      long b21 = Long.rotateLeft(a08 ^ d3, 55);
      long b06 = Long.rotateLeft(a09 ^ d4, 20);
      long b07 = Long.rotateLeft(a10 ^ d0, 3);
      long b17 = Long.rotateLeft(a11 ^ d1, 10);
      long b02 = Long.rotateLeft(a12 ^ d2, 43);
      long b12 = Long.rotateLeft(a13 ^ d3, 25);
      long b22 = Long.rotateLeft(a14 ^ d4, 39);
      long b23 = Long.rotateLeft(a15 ^ d0, 41);
      long b08 = Long.rotateLeft(a16 ^ d1, 45);
      long b18 = Long.rotateLeft(a17 ^ d2, 15);
      long b03 = Long.rotateLeft(a18 ^ d3, 21);
      long b13 = Long.rotateLeft(a19 ^ d4, 8);
      long b14 = Long.rotateLeft(a20 ^ d0, 18);
      long b24 = Long.rotateLeft(a21 ^ d1, 2);
      long b09 = Long.rotateLeft(a22 ^ d2, 61);
      long b19 = Long.rotateLeft(a23 ^ d3, 56);
      long b04 = Long.rotateLeft(a24 ^ d4, 14);
      // chi and iota
      a00 = b00 ^ (~b01 & b02) ^ rc;
      a01 = b01 ^ (~b02 & b03);
      a02 = b02 ^ (~b03 & b04);
      a03 = b03 ^ (~b04 & b00);
      a04 = b04 ^ (~b00 & b01);
      a05 = b05 ^ (~b06 & b07);
      a06 = b06 ^ (~b07 & b08);
      a07 = b07 ^ (~b08 & b09);
      a08 = b08 ^ (~b09 & b05);
      a09 = b09 ^ (~b05 & b06);
      a10 = b10 ^ (~b11 & b12);
      a11 = b11 ^ (~b12 & b13);
      a12 = b12 ^ (~b13 & b14);
      a13 = b13 ^ (~b14 & b10);
      a14 = b14 ^ (~b10 & b11);
      a15 = b15 ^ (~b16 & b17);
      a16 = b16 ^ (~b17 & b18);
      a17 = b17 ^ (~b18 & b19);
      a18 = b18 ^ (~b19 & b15);
      a19 = b19 ^ (~b15 & b16);
      a20 = b20 ^ (~b21 & b22);
      a21 = b21 ^ (~b22 & b23);
      a22 = b22 ^ (~b23 & b24);
      a23 = b23 ^ (~b24 & b20);
      a24 = b24 ^ (~b20 & b21);
    }
    s[0] = a00; s[1] = a01; s[2] = a02; s[3] = a03; s[4] = a04;
    s[5] = a05; s[6] = a06; s[7] = a07; s[8] = a08; s[9] = a09;
    s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
    s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
    s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
  }
}
