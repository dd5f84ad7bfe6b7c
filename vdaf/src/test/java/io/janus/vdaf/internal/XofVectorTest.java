package io.janus.vdaf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The draft-08 XOF vectors (derive_seed and expand_into_vec over Field128) and the reference's sampling case. */
class XofVectorTest {
  private static final HexFormat HEX = HexFormat.of();

  private static BiFunction<byte[], byte[], Xof> factory(String file) {
    return file.startsWith("XofTurboShake128") ? XofTurboShake128::new : XofFixedKeyAes128::new;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"XofTurboShake128.json", "XofFixedKeyAes128.json"})
  void vector(String file) throws Exception {
    JsonNode v;
    try (InputStream in = getClass().getResourceAsStream("/test-vectors/vdaf/draft-08/" + file)) {
      v = new ObjectMapper().readTree(in);
    }
    byte[] seed = HEX.parseHex(v.get("seed").asText());
    byte[] dst = HEX.parseHex(v.get("dst").asText());
    byte[] binder = HEX.parseHex(v.get("binder").asText());
    int length = v.get("length").asInt();

    Xof derive = factory(file).apply(seed, dst);
    derive.absorb(binder);
    assertThat(HEX.formatHex(derive.next(16))).as("derived_seed").isEqualTo(v.get("derived_seed").asText());

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
  @ValueSource(strings = {"XofTurboShake128", "XofFixedKeyAes128"})
  void streamIsIndependentOfReadSizes(String name) {
    byte[] seed = new byte[16];
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
}
