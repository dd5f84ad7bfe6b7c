package io.janus.vdaf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** TurboSHAKE128 against the RFC 9861 section 5 vectors (domain byte 0x1F). */
class TurboShake128Test {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String spaced) {
    return HEX.parseHex(spaced.replace(" ", "").toLowerCase());
  }

  /** RFC 9861's ptn(n): the bytes 00 .. FA repeated. */
  private static byte[] ptn(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  @Test
  void emptyMessage() {
    TurboShake128 t = new TurboShake128(0x1f);
    assertThat(t.squeeze(64)).isEqualTo(hex(
        "1E 41 5F 1C 59 83 AF F2 16 92 17 27 7D 17 BB 53 8C D9 45 A3 97 DD EC 54 1F 1C E4 1A F2 C1 B7 4C"
            + "3E 8C CA E2 A4 DA E5 6C 84 A0 4C 23 85 C0 3C 15 E8 19 3B DF 58 73 73 63 32 16 91 C0 54 62 C8 DF"));
  }

  @Test
  void longOutputLast32Bytes() {
    byte[] out = new TurboShake128(0x1f).squeeze(10032);
    assertThat(Arrays.copyOfRange(out, 10000, 10032)).isEqualTo(hex(
        "A3 B9 B0 38 59 00 CE 76 1F 22 AE D5 48 E7 54 DA 10 A5 24 2D 62 E8 C6 58 E3 F3 A9 23 A7 55 56 07"));
  }

  @Test
  void oneByteMessage() {
    TurboShake128 t = new TurboShake128(0x1f);
    t.update(ptn(1));
    assertThat(t.squeeze(32)).isEqualTo(hex(
        "55 CE DD 6F 60 AF 7B B2 9A 40 42 AE 83 2E F3 F5 8D B7 29 9F 89 3E BB 92 47 24 7D 85 69 58 DA A9"));
  }

  @Test
  void absorbingAcrossBlockBoundariesMatchesOneShot() {
    byte[] msg = ptn(17 * 17 * 17);
    TurboShake128 whole = new TurboShake128(1);
    whole.update(msg);
    TurboShake128 pieces = new TurboShake128(1);
    for (int i = 0; i < msg.length; i += 13) {
      pieces.update(msg, i, Math.min(13, msg.length - i));
    }
    assertThat(pieces.squeeze(200)).isEqualTo(whole.squeeze(200));
    assertThatThrownBy(() -> whole.update(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new TurboShake128(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
