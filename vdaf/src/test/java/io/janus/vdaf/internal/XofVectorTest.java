package io.janus.vdaf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The draft-08 XOF vectors, the draft-18 XofTurboShake128 vector (new framing, 32-byte seed) and libprio's
 * XofHmacSha256Aes128 vector (derive_seed and expand_into_vec over
 * Field128), and the reference's sampling case.
 */
class XofVectorTest {
  private static final HexFormat HEX = HexFormat.of();

  private static BiFunction<byte[], byte[], Xof> factory(String file) {
    String name = file.substring(file.indexOf('/') + 1);
    if (name.startsWith("XofHmacSha256Aes128")) {
      return XofHmacSha256Aes128::new;
    }
    if (file.startsWith("draft-18/")) {
      return XofTurboShake128::draft18;
    }
    return name.startsWith("XofTurboShake128") ? XofTurboShake128::new : XofFixedKeyAes128::new;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"draft-08/XofTurboShake128.json", "draft-08/XofFixedKeyAes128.json",
      "libprio-extensions/XofHmacSha256Aes128.json", "draft-18/XofTurboShake128.json"})
  void vector(String file) throws Exception {
    JsonNode v;
    try (InputStream in = getClass().getResourceAsStream("/test-vectors/vdaf/" + file)) {
      v = new ObjectMapper().readTree(in);
    }
    byte[] seed = HEX.parseHex(v.get("seed").asText());
    byte[] dst = HEX.parseHex(v.get("dst").asText());
    byte[] binder = HEX.parseHex(v.get("binder").asText());
    int length = v.get("length").asInt();

    Xof derive = factory(file).apply(seed, dst);
    derive.absorb(binder);
    // A derived seed is as long as the XOF's seed.
    assertThat(HEX.formatHex(derive.next(seed.length))).as("derived_seed").isEqualTo(v.get("derived_seed").asText());

    Xof expand = factory(file).apply(seed, dst);
    // Absorb the binder in two pieces: framing must not depend on how the binder is split.
    expand.absorb(binder, 0, 3);
    expand.absorb(binder, 3, binder.length - 3);
    Field128 f = Field128.INSTANCE;
    long[] vec = f.zeros(length);
    expand.nextVec(f, vec, 0, length);
    byte[] enc = new byte[length * 16];
    f.encode(vec, 0, length, enc, 0);
    assertThat(HEX.formatHex(enc)).as("expanded_vec_field128").isEqualTo(v.get("expanded_vec_field128").asText());
  }

  /** The rejection-sampling case from draft-08 poc/xof.py (found by brute-force search): element 140 of Field64. */
  @Test
  void turboShakeRejectionSampling() {
    byte[] seed = HEX.parseHex("d195ec90c1bcf1f2cb2c7e74c5c5f6da");
    Xof xof = new XofTurboShake128(seed, new byte[0]);
    long[] vec = new long[140];
    xof.nextVec(Field64.INSTANCE, vec, 0, 140);
    assertThat(Long.toUnsignedString(vec[139])).isEqualTo("9734340616212735019");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"XofTurboShake128", "XofFixedKeyAes128", "XofHmacSha256Aes128"})
  void streamIsIndependentOfReadSizes(String name) {
    byte[] seed = new byte[name.equals("XofHmacSha256Aes128") ? XofHmacSha256Aes128.SEED_SIZE : Xof.SEED_SIZE];
    byte[] dst = {1, 2, 3};
    BiFunction<byte[], byte[], Xof> make = factory(name);
    Xof whole = make.apply(seed, dst);
    whole.absorb(new byte[] {9});
    byte[] want = whole.next(700);
    Xof pieces = make.apply(seed, dst);
    pieces.absorb(9);
    byte[] got = new byte[700];
    for (int i = 0; i < 700; i += 7) {
      pieces.next(got, i, 7);
    }
    assertThat(got).isEqualTo(want);
  }

  /**
   * libprio's AES-128-CTR counter is the low 64 bits of the block and wraps without carrying into the high half.
   * Expected: the key stream of the RustCrypto {@code ctr} 0.9.2 crate's {@code Ctr64BE<Aes128>} (what libprio
   * 0.16.8 uses) for key 00..0f and IV a0..a7 ff..fe, two blocks either side of the wrap.
   */
  @Test
  void aesCounterWrapsInItsLow64Bits() {
    byte[] keyAndIv = new byte[32];
    for (int i = 0; i < 16; i++) {
      keyAndIv[i] = (byte) i;
    }
    for (int i = 0; i < 8; i++) {
      keyAndIv[16 + i] = (byte) (0xa0 + i);
      keyAndIv[24 + i] = (byte) 0xff;
    }
    keyAndIv[31] = (byte) 0xfe;
    byte[] got = new byte[64];
    new Aes128Ctr64(keyAndIv).next(got, 0, 64);
    assertThat(HEX.formatHex(got)).isEqualTo("baff823ea3f4a4554ae43ae34c5501c76b88b75a25a12555cd83b817f1128389"
        + "db28949c3eadbd60670bfcef2d6079cf60e6329a5764a6b61be64ffb3ed4bb6a");
  }

  /** Draft 18 frames the DST behind two bytes because it carries the application context; draft 08 used one. */
  @Test
  void draft18TurboShakeTakesLongDsts() {
    byte[] dst = new byte[300];
    assertThat(XofTurboShake128.draft18(new byte[32], dst).next(8)).hasSize(8);
    assertThatThrownBy(() -> new XofTurboShake128(new byte[16], dst)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XofTurboShake128.draft18(new byte[16], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hmacXofRejectsSixteenByteSeeds() {
    assertThatThrownBy(() -> new XofHmacSha256Aes128(new byte[16], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
