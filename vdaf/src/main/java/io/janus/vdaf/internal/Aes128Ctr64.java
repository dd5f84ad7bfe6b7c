package io.janus.vdaf.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-128-CTR key stream of libprio's {@code SeedStreamAes128}: a 64-bit big-endian counter in the last 8 bytes
 * of the counter block, wrapping modulo 2^64, while the first 8 bytes stay fixed. The JDK's AES/CTR carries into
 * all 128 bits, which differs after a wrap, so the counter blocks are built here and encrypted with AES/ECB, many
 * per call. Not thread-safe.
 */
final class Aes128Ctr64 {
  private static final int BATCH_BLOCKS = 32;

  private final Cipher cipher;
  private final long nonce;
  private long counter;
  private final byte[] blocks = new byte[16 * BATCH_BLOCKS];
  private final byte[] out = new byte[16 * BATCH_BLOCKS];
  private int outPos;
  private int outLen;

  /**
   * Starts the stream.
   *
   * @param keyAndIv the AES-128 key (bytes 0 to 15), then the initial counter block (bytes 16 to 31)
   */
  Aes128Ctr64(byte[] keyAndIv) {
    if (keyAndIv.length != 32) {
      throw new IllegalArgumentException("AES-128-CTR needs a 16-byte key and a 16-byte IV");
    }
    try {
      cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyAndIv, 0, 16, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-128 unavailable in this JDK", e);
    }
    nonce = Bytes.getLongBe(keyAndIv, 16);
    counter = Bytes.getLongBe(keyAndIv, 24);
  }

  /** Writes the next {@code len} key stream bytes into {@code dst} at {@code off}. */
  void next(byte[] dst, int off, int len) {
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
    for (int b = 0; b < BATCH_BLOCKS; b++) {
      Bytes.putLongBe(blocks, 16 * b, nonce);
      Bytes.putLongBe(blocks, 16 * b + 8, counter++);
    }
    try {
      cipher.doFinal(blocks, 0, blocks.length, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-ECB encryption failed", e);
    }
    outPos = 0;
    outLen = out.length;
  }
}
