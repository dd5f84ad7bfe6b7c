package io.janus.vdaf.internal;

/**
 * XofTurboShake128: TurboSHAKE128 with domain byte 1 over a framed message, in the framing of draft-irtf-cfrg-vdaf-08
 * section 6.2.1 ({@code u8(len(dst)) || dst || seed || binder}, 16-byte seeds; the constructor) or of
 * draft-irtf-cfrg-vdaf-18 section 6.2.1 ({@code le16(len(dst)) || dst || u8(len(seed)) || seed || binder}, 32-byte
 * seeds; {@link #draft18}). Draft 18 widened the DST length because the DST now carries the application context.
 */
public final class XofTurboShake128 extends Xof {
  /** Seed size in bytes of the draft-18 XOF (the draft-08 one has {@link #SEED_SIZE}). */
  public static final int SEED_SIZE_DRAFT_18 = 32;

  private final TurboShake128 sponge = new TurboShake128(1);

  /**
   * Starts the draft-08 XOF; absorb the binder next.
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

  private XofTurboShake128() {}

  /**
   * Starts the draft-18 XOF; absorb the binder next.
   *
   * @param seed {@link #SEED_SIZE_DRAFT_18} bytes
   * @param dst domain separation tag (including any application context), at most 65535 bytes
   */
  public static XofTurboShake128 draft18(byte[] seed, byte[] dst) {
    checkSeedAndDst(seed, SEED_SIZE_DRAFT_18, dst, 0xffff);
    XofTurboShake128 x = new XofTurboShake128();
    x.sponge.update(dst.length & 0xff);
    x.sponge.update(dst.length >>> 8);
    x.sponge.update(dst);
    x.sponge.update(seed.length);
    x.sponge.update(seed);
    return x;
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
