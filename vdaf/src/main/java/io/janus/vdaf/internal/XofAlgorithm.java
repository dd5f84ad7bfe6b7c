package io.janus.vdaf.internal;

/**
 * The XOFs a Prio3 instance can be built on, with their seed sizes. Prio3's seeds, blinds, joint randomness parts
 * and verify key all have the XOF's seed size, so the choice changes every share length.
 */
public enum XofAlgorithm {
  /** XofTurboShake128 (draft-irtf-cfrg-vdaf-08 section 6.2.1), 16-byte seeds: the draft's Prio3. */
  TURBO_SHAKE_128(Xof.SEED_SIZE),
  /** XofTurboShake128 in its draft-irtf-cfrg-vdaf-18 framing, 32-byte seeds: the draft-18 Prio3. */
  TURBO_SHAKE_128_DRAFT_18(XofTurboShake128.SEED_SIZE_DRAFT_18),
  /** libprio's XofHmacSha256Aes128, 32-byte seeds: Janus's Field64 multiproof SumVec. */
  HMAC_SHA256_AES128(XofHmacSha256Aes128.SEED_SIZE);

  private final int seedSize;

  XofAlgorithm(int seedSize) {
    this.seedSize = seedSize;
  }

  /** Returns the seed size in bytes. */
  public int seedSize() {
    return seedSize;
  }

  /**
   * Starts an XOF of this kind; absorb the binder next.
   *
   * @param seed {@link #seedSize()} bytes
   * @param dst domain separation tag, at most 255 bytes (65535 for the draft-18 XOF)
   */
  public Xof start(byte[] seed, byte[] dst) {
    return switch (this) {
      case TURBO_SHAKE_128 -> new XofTurboShake128(seed, dst);
      case TURBO_SHAKE_128_DRAFT_18 -> XofTurboShake128.draft18(seed, dst);
      case HMAC_SHA256_AES128 -> new XofHmacSha256Aes128(seed, dst);
    };
  }
}
