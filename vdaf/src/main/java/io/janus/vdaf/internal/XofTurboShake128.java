package io.janus.vdaf.internal;

/**
 * XofTurboShake128 (draft-irtf-cfrg-vdaf-08 section 6.2.1): TurboSHAKE128 with domain byte 1 over
 * {@code len(dst) || dst || seed || binder}.
 */
public final class XofTurboShake128 extends Xof {
  private final TurboShake128 sponge = new TurboShake128(1);

  /**
   * Starts the XOF; absorb the binder next.
   *
   * @param seed {@link #SEED_SIZE} bytes
   * @param dst domain separation tag, at most 255 bytes
   */
  public XofTurboShake128(byte[] seed, byte[] dst) {
    checkSeedAndDst(seed, SEED_SIZE, dst);
    sponge.update(dst.length);
    sponge.update(dst);
    sponge.update(seed);
  }

  @Override
  public void absorb(byte[] b, int off, int len) {
    sponge.update(b, off, len);
  }

  @Override
  public void absorb(int b) {
    sponge.update(b);
  }

  @Override
  public void next(byte[] out, int off, int len) {
    sponge.squeeze(out, off, len);
  }
}
