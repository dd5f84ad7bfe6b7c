package io.janus.core.hpke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HpkeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String VECTORS = "/test-vectors/hpke/rfc9180/base-mode.json";

  /** One RFC 9180 Appendix A base-mode vector, first encryption (sequence number 0) only. */
  record KnownAnswer(
      String section, String suite, int mode, @JsonProperty("kem_id") int kemId,
      @JsonProperty("kdf_id") int kdfId, @JsonProperty("aead_id") int aeadId, String info, String ikmE,
      String pkEm, String skEm, String ikmR, String pkRm, String skRm, String enc, String pt, String aad,
      String ct) {
    byte[] bytes(String hex) {
      return HEX.parseHex(hex);
    }
  }

  static Stream<Named<KnownAnswer>> knownAnswers() throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try (InputStream in = HpkeTest.class.getResourceAsStream(VECTORS)) {
      assertThat(in).as(VECTORS).isNotNull();
      // The file keeps RFC 9180's field spellings (ikmE, pkRm, kem_id, ...).
      KnownAnswer[] all = mapper.readValue(in, KnownAnswer[].class);
      assertThat(all).hasSize(4);
      return Stream.of(all).map(v -> Named.of(v.section() + " " + v.suite(), v));
    }
  }

  static Stream<Arguments> suites() {
    List<Arguments> out = new ArrayList<>();
    for (int kem : new int[] {HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KEM_P256_HKDF_SHA256}) {
      for (int aead : new int[] {HpkeAlgorithms.AEAD_AES_128_GCM, Hpke.AEAD_AES_256_GCM,
          HpkeAlgorithms.AEAD_CHACHA20_POLY1305}) {
        out.add(Arguments.of(Named.of(String.format("kem=0x%04x aead=0x%04x", kem, aead), new int[] {kem, aead})));
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("knownAnswers")
  void knownAnswerOpensWithDerivedKey(KnownAnswer v) throws HpkeException {
    assertThat(v.mode()).isZero();
    HpkeKeypair kp = Hpke.derive(7, v.kemId(), v.kdfId(), v.aeadId(), v.bytes(v.ikmR()));
    assertThat(HEX.formatHex(kp.config().publicKey())).isEqualTo(v.pkRm());
    byte[] expectedSk = v.bytes(v.skRm());
    if (v.kemId() == HpkeAlgorithms.KEM_X25519_HKDF_SHA256) {
      // RFC 9180 section 7.1.2: SerializePrivateKey MUST clamp X25519 keys; the vectors print them unclamped.
      expectedSk[0] &= (byte) 0xf8;
      expectedSk[31] &= 0x7f;
      expectedSk[31] |= 0x40;
    }
    assertThat(kp.privateKey()).isEqualTo(expectedSk);

    byte[] pt = Hpke.open(kp, v.bytes(v.info()), new HpkeCiphertext(7, v.bytes(v.enc()), v.bytes(v.ct())),
        v.bytes(v.aad()));
    assertThat(HEX.formatHex(pt)).isEqualTo(v.pt());
  }

  @ParameterizedTest
  @MethodSource("knownAnswers")
  void knownAnswerOpensWithSerializedKey(KnownAnswer v) throws HpkeException {
    HpkeKeypair kp = new HpkeKeypair(
        new HpkeConfig(3, v.kemId(), v.kdfId(), v.aeadId(), v.bytes(v.pkRm())), v.bytes(v.skRm()));
    byte[] pt = Hpke.open(kp, v.bytes(v.info()), new HpkeCiphertext(3, v.bytes(v.enc()), v.bytes(v.ct())),
        v.bytes(v.aad()));
    assertThat(pt).isEqualTo(v.bytes(v.pt()));
  }

  @ParameterizedTest
  @MethodSource("knownAnswers")
  void knownAnswerSealsWithVectorEphemeralKey(KnownAnswer v) {
    HpkeConfig recipient = new HpkeConfig(9, v.kemId(), v.kdfId(), v.aeadId(), v.bytes(v.pkRm()));
    HpkeCiphertext c = Hpke.sealDeterministic(
        recipient, v.bytes(v.info()), v.bytes(v.aad()), v.bytes(v.pt()), v.bytes(v.ikmE()));
    assertThat(c.configId()).isEqualTo(9);
    assertThat(HEX.formatHex(c.encapsulatedKey())).isEqualTo(v.enc());
    assertThat(HEX.formatHex(c.payload())).isEqualTo(v.ct());
  }

  @ParameterizedTest
  @MethodSource("knownAnswers")
  void knownAnswerRejectsTamperedCiphertext(KnownAnswer v) {
    HpkeKeypair kp = new HpkeKeypair(
        new HpkeConfig(3, v.kemId(), v.kdfId(), v.aeadId(), v.bytes(v.pkRm())), v.bytes(v.skRm()));
    byte[] ct = v.bytes(v.ct());
    ct[ct.length - 1] ^= 1;
    assertThatThrownBy(() -> Hpke.open(kp, v.bytes(v.info()), new HpkeCiphertext(3, v.bytes(v.enc()), ct),
        v.bytes(v.aad())))
        .isInstanceOf(HpkeException.class)
        .hasMessageContaining("authentication");
  }

  @ParameterizedTest
  @MethodSource("suites")
  void roundTripsEverySuite(int[] suite) throws HpkeException {
    long seed = System.nanoTime();
    System.out.println("HpkeTest.roundTripsEverySuite seed=" + seed);
    Random rnd = new Random(seed);
    HpkeKeypair kp = Hpke.generate(42, suite[0], HpkeAlgorithms.KDF_HKDF_SHA256, suite[1]);
    assertThat(kp.config().id()).isEqualTo(42);
    assertThat(kp.config().publicKey()).hasSize(suite[0] == HpkeAlgorithms.KEM_X25519_HKDF_SHA256 ? 32 : 65);
    for (int len : new int[] {0, 1, 17, 1000}) {
      byte[] pt = new byte[len];
      rnd.nextBytes(pt);
      byte[] info = "some info".getBytes(StandardCharsets.US_ASCII);
      byte[] aad = new byte[rnd.nextInt(64)];
      rnd.nextBytes(aad);
      HpkeCiphertext c = Hpke.seal(kp.config(), info, aad, pt);
      assertThat(c.configId()).isEqualTo(42);
      assertThat(c.payload()).hasSize(len + 16);
      assertThat(Hpke.open(kp, info, c, aad)).as("seed %d len %d", seed, len).isEqualTo(pt);
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void wrongKeyAadOrInfoFails(int[] suite) throws HpkeException {
    HpkeKeypair kp = Hpke.generate(1, suite[0], HpkeAlgorithms.KDF_HKDF_SHA256, suite[1]);
    HpkeKeypair other = Hpke.generate(1, suite[0], HpkeAlgorithms.KDF_HKDF_SHA256, suite[1]);
    byte[] info = {1, 2, 3};
    byte[] aad = {4, 5, 6};
    HpkeCiphertext c = Hpke.seal(kp.config(), info, aad, new byte[] {9, 9, 9});
    assertThat(Hpke.open(kp, info, c, aad)).containsExactly(9, 9, 9);

    assertThatThrownBy(() -> Hpke.open(other, info, c, aad)).isInstanceOf(HpkeException.class);
    assertThatThrownBy(() -> Hpke.open(kp, info, c, new byte[] {4, 5, 7})).isInstanceOf(HpkeException.class);
    assertThatThrownBy(() -> Hpke.open(kp, new byte[] {1, 2}, c, aad)).isInstanceOf(HpkeException.class);
    assertThatThrownBy(() -> Hpke.open(kp, info, c, new byte[0])).isInstanceOf(HpkeException.class);
  }

  @Test
  void configIdMismatchFails() {
    HpkeKeypair kp = Hpke.generate(1, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    HpkeCiphertext c = Hpke.seal(kp.config(), new byte[0], new byte[0], new byte[] {1});
    HpkeCiphertext relabelled = new HpkeCiphertext(2, c.encapsulatedKey(), c.payload());
    assertThatThrownBy(() -> Hpke.open(kp, new byte[0], relabelled, new byte[0]))
        .isInstanceOf(HpkeException.class)
        .hasMessageContaining("config 2");
  }

  @Test
  void malformedEncapsulatedKeyIsCheckedFailure() {
    HpkeKeypair x = Hpke.generate(1, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    HpkeKeypair p = Hpke.generate(1, HpkeAlgorithms.KEM_P256_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    byte[] payload = new byte[32];
    // Too short for X25519.
    assertThatThrownBy(() -> Hpke.open(x, new byte[0], new HpkeCiphertext(1, new byte[5], payload), new byte[0]))
        .isInstanceOf(HpkeException.class);
    // All-zero X25519 point: the shared secret would be zero, which RFC 9180 section 7.1.4 forbids.
    assertThatThrownBy(() -> Hpke.open(x, new byte[0], new HpkeCiphertext(1, new byte[32], payload), new byte[0]))
        .isInstanceOf(HpkeException.class);
    // Not a P-256 point encoding.
    byte[] bogus = new byte[65];
    bogus[0] = 4;
    bogus[1] = 1;
    assertThatThrownBy(() -> Hpke.open(p, new byte[0], new HpkeCiphertext(1, bogus, payload), new byte[0]))
        .isInstanceOf(HpkeException.class);
  }

  @Test
  void unsupportedSuitesAreTyped() {
    assertThat(Hpke.isSupported(0x0020, 0x0001, 0x0001)).isTrue();
    assertThat(Hpke.isSupported(0x0021, 0x0001, 0x0001)).isFalse();
    assertThat(Hpke.isSupported(0x0020, 0x0003, 0x0001)).isFalse();
    assertThat(Hpke.isSupported(0x0020, 0x0001, 0xffff)).isFalse();
    assertThatThrownBy(() -> Hpke.generate(1, 0x0011, 0x0001, 0x0001))
        .isInstanceOf(UnsupportedHpkeSuiteException.class)
        .hasMessageContaining("kem=0x0011");
    HpkeConfig x448 = new HpkeConfig(1, 0x0021, 0x0001, 0x0001, new byte[56]);
    assertThat(Hpke.isSupported(x448)).isFalse();
    assertThatThrownBy(() -> Hpke.seal(x448, new byte[0], new byte[0], new byte[0]))
        .isInstanceOfSatisfying(UnsupportedHpkeSuiteException.class, e -> assertThat(e.kemId()).isEqualTo(0x21));
  }

  @Test
  void malformedRecipientKeyIsRejected() {
    HpkeConfig bad = new HpkeConfig(1, HpkeAlgorithms.KEM_P256_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Hpke.seal(bad, new byte[0], new byte[0], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(UnsupportedHpkeSuiteException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void deriveIsDeterministicAndRejectsShortIkm() {
    byte[] ikm = new byte[32];
    ikm[0] = 1;
    HpkeKeypair a = Hpke.derive(1, 0x0020, 0x0001, 0x0001, ikm);
    HpkeKeypair b = Hpke.derive(1, 0x0020, 0x0001, 0x0001, ikm);
    assertThat(a).isEqualTo(b);
    assertThat(a.toString()).doesNotContain(HEX.formatHex(a.privateKey()));
    assertThatThrownBy(() -> Hpke.derive(1, 0x0020, 0x0001, 0x0001, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
