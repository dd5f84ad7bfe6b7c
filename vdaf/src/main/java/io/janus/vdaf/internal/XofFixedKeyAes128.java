package io.janus.vdaf.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * XofFixedKeyAes128 (draft-irtf-cfrg-vdaf-08 section 6.2.2): the AES key is TurboSHAKE128 with domain byte 2 over
 * {@code len(dst) || dst || binder}; output block i is {@code AES(k, s) xor s} where {@code s} is sigma(seed xor
 * le128(i)) and sigma(lo || hi) = hi || (hi xor lo).
 *
 * <p>Uses the JDK's AES (hardware-accelerated where available), encrypting many blocks per call.
 */
public final class XofFixedKeyAes128 extends Xof {
  private static final int BATCH_BLOCKS = 32;

  private final byte[] seed;
  private TurboShake128 keySponge;
  private Cipher cipher;
  private final byte[] sigma = new byte[16 * BATCH_BLOCKS];
  private final byte[] out = new byte[16 * BATCH_BLOCKS];
  private long nextBlock;
  private int outPos;
  private int outLen;

  /**
   * Starts the XOF; absorb the binder next.
   *
   * @param seed {@link #SEED_SIZE} bytes
   * @param dst domain separation tag, at most 255 bytes
   */
  public XofFixedKeyAes128(byte[] seed, byte[] dst) {
    checkSeedAndDst(seed, SEED_SIZE, dst);
    this.seed = seed.clone();
    keySponge = new TurboShake128(2);
    keySponge.update(dst.length);
    keySponge.update(dst);
  }

  @Override
  public void absorb(byte[] b, int off, int len) {
    requireAbsorbing();
    keySponge.update(b, off, len);
  }

  @Override
  public void absorb(int b) {
    requireAbsorbing();
    keySponge.update(b);
  }

  private void requireAbsorbing() {
    if (cipher != null) {
      throw new IllegalStateException("absorb after next");
    }
  }

  @Override
  public void next(byte[] dst, int off, int len) {
    if (cipher == null) {
      byte[] key = keySponge.squeeze(16);
      keySponge = null;
      try {
        cipher = Cipher.getInstance("AES/ECB/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-128 unavailable in this JDK", e);
      }
    }
    while (len > 0) {
      if (outPos == outLen) {
        refill();
      }
      int n = Math.min(len, outLen - outPos);
      System.arraycopy(out, outPos, dst, off, n);
      outPos += n;
      off += n;
      len -= n;
    }
  }

  private void refill() {
    long seedLo = Bytes.getLongLe(seed, 0);
    long seedHi = Bytes.getLongLe(seed, 8);
    for (int b = 0; b < BATCH_BLOCKS; b++) {
      // The block counter is a 128-bit little-endian integer; it never exceeds 2^64 here.
      long lo = seedLo ^ (nextBlock + b);
      long hi = seedHi;
      Bytes.putLongLe(sigma, 16 * b, hi);
      Bytes.putLongLe(sigma, 16 * b + 8, hi ^ lo);
    }
    nextBlock += BATCH_BLOCKS;
    try {
      cipher.doFinal(sigma, 0, sigma.length, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-ECB encryption failed", e);
    }
    for (int i = 0; i < out.length; i++) {
      out[i] ^= sigma[i];
    }
    outPos = 0;
    outLen = out.length;
  }
}
