package io.janus.core.hpke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.hpke.HpkeTest.KnownAnswer;
import io.janus.core.hpke.internal.Libcrypto;
import io.janus.core.hpke.internal.X25519;
import io.janus.core.hpke.internal.X25519Hpke;
import io.janus.core.hpke.internal.X25519Providers;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link X25519Hpke} on each X25519 provider: RFC 9180 vectors, interoperation, and concurrent opens. */
class X25519HpkeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String[] PROVIDERS = {X25519Providers.OPENSSL, X25519Providers.BOUNCYCASTLE};
  private static final int[] AEADS = {X25519Hpke.AEAD_AES_128_GCM, X25519Hpke.AEAD_AES_256_GCM,
      X25519Hpke.AEAD_CHACHA20_POLY1305};

  /** Every X25519 vector of {@link HpkeTest}'s file, on every provider. */
  static Stream<Arguments> vectors() throws IOException {
    List<KnownAnswer> x25519 = HpkeTest.knownAnswers().map(n -> n.getPayload())
        .filter(v -> v.kemId() == HpkeAlgorithms.KEM_X25519_HKDF_SHA256).toList();
    assertThat(x25519).hasSize(2);
    List<Arguments> out = new ArrayList<>();
    for (String p : PROVIDERS) {
      for (KnownAnswer v : x25519) {
        out.add(Arguments.of(p, v));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> providerPairsAndAeads() {
    List<Arguments> out = new ArrayList<>();
    for (String sender : PROVIDERS) {
      for (String recipient : PROVIDERS) {
        for (int aead : AEADS) {
          out.add(Arguments.of(sender, recipient, aead));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("vectors")
  void knownAnswer(String provider, KnownAnswer v) throws HpkeException {
    X25519Hpke hpke = new X25519Hpke(Libcrypto.provider(provider));
    byte[] skR = X25519Hpke.derivePrivateKey(v.bytes(v.ikmR()));
    byte[] skE = X25519Hpke.derivePrivateKey(v.bytes(v.ikmE()));
    try (X25519.PrivateKey r = hpke.dh().privateKey(skR); X25519.PrivateKey e = hpke.dh().privateKey(skE)) {
      assertThat(HEX.formatHex(r.publicKey())).isEqualTo(v.pkRm());
      assertThat(HEX.formatHex(e.publicKey())).isEqualTo(v.pkEm());
    }

    byte[][] sealed = hpke.seal(v.aeadId(), v.bytes(v.pkRm()), v.bytes(v.info()), v.bytes(v.aad()), v.bytes(v.pt()),
        skE);
    assertThat(HEX.formatHex(sealed[0])).isEqualTo(v.enc());
    assertThat(HEX.formatHex(sealed[1])).isEqualTo(v.ct());

    // The vectors print skRm unclamped; the provider must clamp it itself.
    try (X25519.PrivateKey r = hpke.dh().privateKey(v.bytes(v.skRm()))) {
      byte[] pt = hpke.open(v.aeadId(), r, v.bytes(v.pkRm()), v.bytes(v.info()), v.bytes(v.enc()), v.bytes(v.aad()),
          v.bytes(v.ct()));
      assertThat(HEX.formatHex(pt)).isEqualTo(v.pt());

      byte[] tampered = v.bytes(v.ct());
      tampered[0] ^= 1;
      assertThatThrownBy(() -> hpke.open(v.aeadId(), r, v.bytes(v.pkRm()), v.bytes(v.info()), v.bytes(v.enc()),
          v.bytes(v.aad()), tampered))
          .isInstanceOf(HpkeException.class)
          .hasMessageContaining("authentication");
      assertThatThrownBy(() -> hpke.open(v.aeadId(), r, v.bytes(v.pkRm()), v.bytes(v.info()), new byte[32],
          v.bytes(v.aad()), v.bytes(v.ct())))
          .isInstanceOf(HpkeException.class)
          .hasMessageContaining("encapsulated key");
    }
  }

  /** Covers AES-256-GCM too, which RFC 9180's appendix has no X25519/HKDF-SHA256 vector for. */
  @ParameterizedTest(name = "{0} to {1}, aead {2}")
  @MethodSource("providerPairsAndAeads")
  void providersInteroperate(String sender, String recipient, int aeadId) throws HpkeException {
    X25519Hpke s = new X25519Hpke(Libcrypto.provider(sender));
    X25519Hpke r = new X25519Hpke(Libcrypto.provider(recipient));
    byte[] sk = X25519Hpke.generatePrivateKey();
    byte[] info = "info".getBytes(StandardCharsets.US_ASCII);
    byte[] aad = {1, 2, 3};
    byte[] pt = new byte[300];
    pt[7] = 7;
    try (X25519.PrivateKey key = r.dh().privateKey(sk)) {
      byte[][] c = s.seal(aeadId, key.publicKey(), info, aad, pt);
      assertThat(c[1]).hasSize(pt.length + 16);
      assertThat(r.open(aeadId, key, key.publicKey(), info, c[0], aad, c[1])).isEqualTo(pt);
      assertThatThrownBy(() -> r.open(aeadId, key, key.publicKey(), new byte[0], c[0], aad, c[1]))
          .isInstanceOf(HpkeException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {X25519Providers.OPENSSL, X25519Providers.BOUNCYCASTLE})
  void sealRefusesSmallOrderRecipient(String provider) {
    X25519Hpke hpke = new X25519Hpke(Libcrypto.provider(provider));
    assertThatThrownBy(() -> hpke.seal(X25519Hpke.AEAD_AES_128_GCM, new byte[32], new byte[0], new byte[0],
        new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("small order");
  }

  /** One parsed key, many threads: every open must return its own plaintext. */
  @ParameterizedTest
  @ValueSource(strings = {X25519Providers.OPENSSL, X25519Providers.BOUNCYCASTLE})
  void oneKeyOpensConcurrently(String provider) throws Exception {
    X25519Hpke hpke = new X25519Hpke(Libcrypto.provider(provider));
    byte[] info = {9};
    int n = 400;
    try (X25519.PrivateKey key = hpke.dh().privateKey(X25519Hpke.generatePrivateKey())) {
      byte[] pk = key.publicKey();
      byte[][][] sealed = new byte[n][][];
      for (int i = 0; i < n; i++) {
        sealed[i] = hpke.seal(X25519Hpke.AEAD_AES_128_GCM, pk, info, new byte[0], new byte[] {(byte) i, (byte) (i >> 8)});
      }
      List<Future<byte[]>> results = new ArrayList<>();
      try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
        for (int i = 0; i < n; i++) {
          byte[][] c = sealed[i];
          results.add(threads.submit(() -> hpke.open(X25519Hpke.AEAD_AES_128_GCM, key, pk, info, c[0], new byte[0], c[1])));
        }
      }
      for (int i = 0; i < n; i++) {
        assertThat(results.get(i).get()).as("open %d", i).containsExactly((byte) i, (byte) (i >> 8));
      }
    }
  }

  /** Through {@link Hpke}: virtual threads share the keypair's cached key, which later opens keep reusing. */
  @Test
  void keypairIsParsedOnceAndSharedByVirtualThreads() throws Exception {
    HpkeKeypair kp = Hpke.generate(5, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    assertThat(kp.parsed()).isNull();
    byte[] info = {1};
    int n = 1000;
    HpkeCiphertext[] sealed = new HpkeCiphertext[n];
    for (int i = 0; i < n; i++) {
      sealed[i] = Hpke.seal(kp.config(), info, new byte[0], new byte[] {(byte) i, (byte) (i >> 8)});
    }
    List<Future<byte[]>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        HpkeCiphertext c = sealed[i];
        results.add(threads.submit(() -> Hpke.open(kp, info, c, new byte[0])));
      }
    }
    for (int i = 0; i < n; i++) {
      assertThat(results.get(i).get()).as("open %d", i).containsExactly((byte) i, (byte) (i >> 8));
    }
    Object parsed = kp.parsed();
    assertThat(parsed).isInstanceOf(X25519.PrivateKey.class);
    Hpke.open(kp, info, sealed[0], new byte[0]);
    assertThat(kp.parsed()).isSameAs(parsed);
    // An equal keypair built from the same bytes is still equal: the cache is not part of the value.
    assertThat(new HpkeKeypair(kp.config(), kp.privateKey())).isEqualTo(kp);
  }

  @Test
  void p256KeypairIsParsedOnce() throws HpkeException {
    HpkeKeypair kp = Hpke.generate(5, HpkeAlgorithms.KEM_P256_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    HpkeCiphertext c = Hpke.seal(kp.config(), new byte[0], new byte[0], new byte[] {4});
    assertThat(Hpke.open(kp, new byte[0], c, new byte[0])).containsExactly(4);
    Object parsed = kp.parsed();
    assertThat(parsed).isNotNull();
    assertThat(Hpke.open(kp, new byte[0], c, new byte[0])).containsExactly(4);
    assertThat(kp.parsed()).isSameAs(parsed);
  }

  @Test
  void facadeNamesTheSelectedImplementation() {
    assertThat(Hpke.x25519Implementation()).isEqualTo(X25519Providers.selected().description());
  }

  @Test
  void keypairWithMalformedPrivateKeyIsNotAReportFailure() {
    HpkeConfig config = new HpkeConfig(1, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, new byte[32]);
    HpkeKeypair kp = new HpkeKeypair(config, new byte[5]);
    assertThatThrownBy(() -> Hpke.open(kp, new byte[0], new HpkeCiphertext(1, new byte[32], new byte[16]),
        new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("malformed");
  }
}
