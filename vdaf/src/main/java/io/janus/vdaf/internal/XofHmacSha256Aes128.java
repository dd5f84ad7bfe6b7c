package io.janus.vdaf.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * XofHmacSha256Aes128, libprio's XOF for Janus's private-use Prio3SumVecField64MultiproofHmacSha256Aes128 (not in
 * the VDAF draft): HMAC-SHA256 keyed by the 32-byte seed over {@code len(dst) || dst || binder} gives a 32-byte
 * tag; its first half is an AES-128 key and its second half the initial counter block of AES-128-CTR, whose key
 * stream (with libprio's 64-bit counter, {@link Aes128Ctr64}) is the output.
 */
public final class XofHmacSha256Aes128 extends Xof {
  /** Seed size in bytes: the HMAC key, and so also the verify key length of a Prio3 using this XOF. */
  public static final int SEED_SIZE = 32;

  private Mac mac;
  private Aes128Ctr64 keyStream;

  /**
   * Starts the XOF; absorb the binder next.
   *
   * @param seed {@link #SEED_SIZE} bytes
   * @param dst domain separation tag, at most 255 bytes
   */
  public XofHmacSha256Aes128(byte[] seed, byte[] dst) {
    checkSeedAndDst(seed, SEED_SIZE, dst);
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(seed, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable in this JDK", e);
    }
    mac.update((byte) dst.length);
    mac.update(dst);
  }

  @Override
  public void absorb(byte[] b, int off, int len) {
    requireAbsorbing();
    mac.update(b, off, len);
  }

  @Override
  public void absorb(int b) {
    requireAbsorbing();
    mac.update((byte) b);
  }

  private void requireAbsorbing() {
    if (mac == null) {
      throw new IllegalStateException("absorb after next");
    }
  }

  @Override
  public void next(byte[] dst, int off, int len) {
    if (keyStream == null) {
      byte[] tag = mac.doFinal();
      mac = null;
      keyStream = new Aes128Ctr64(tag);
    }
    keyStream.next(dst, off, len);
  }
}
