package io.janus.core.hpke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class X25519ProvidersTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void openSslIsSelectedWhereLibcryptoExists() {
    X25519 openSsl = Libcrypto.openSslOrSkip();
    assertThat(openSsl.description()).startsWith("OpenSSL 3.");
    // Surefire sets no janus.hpke.provider, so this is the automatic choice.
    assertThat(System.getProperty(X25519Providers.PROPERTY)).isNull();
    assertThat(X25519Providers.selected()).isSameAs(openSsl);
    assertThat(X25519Providers.choose(null).reason()).isEqualTo("libcrypto 3 loaded");
  }

  @Test
  void propertyForcesAProvider() {
    X25519Providers.Choice bc = X25519Providers.choose(X25519Providers.BOUNCYCASTLE);
    assertThat(bc.x25519()).isSameAs(X25519Providers.bouncyCastle());
    assertThat(bc.reason()).isEqualTo("janus.hpke.provider=bouncycastle");
    assertThatThrownBy(() -> X25519Providers.choose("sunec"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"sunec\"");

    X25519 openSsl = Libcrypto.openSslOrSkip();
    assertThat(X25519Providers.choose(X25519Providers.OPENSSL).x25519()).isSameAs(openSsl);
  }

  /** RFC 7748 section 6.1, and the all-zero (small-order) point that both must refuse. */
  @ParameterizedTest
  @ValueSource(strings = {X25519Providers.OPENSSL, X25519Providers.BOUNCYCASTLE})
  void rfc7748DiffieHellman(String name) {
    X25519 x = Libcrypto.provider(name);
    byte[] out = new byte[X25519.LENGTH];
    try (X25519.PrivateKey alice = x.privateKey(
            HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        X25519.PrivateKey bob = x.privateKey(
            HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))) {
      assertThat(HEX.formatHex(alice.publicKey()))
          .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
      assertThat(HEX.formatHex(bob.publicKey()))
          .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
      assertThat(alice.agree(bob.publicKey(), out)).isTrue();
      assertThat(HEX.formatHex(out)).isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
      assertThat(bob.agree(alice.publicKey(), out)).isTrue();
      assertThat(HEX.formatHex(out)).isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

      assertThat(alice.agree(new byte[X25519.LENGTH], out)).isFalse();
      assertThat(alice.agree(new byte[31], out)).isFalse();
      // A failed call leaves the key usable (the OpenSSL provider discards the state it failed with).
      assertThat(alice.agree(bob.publicKey(), out)).isTrue();
      assertThat(HEX.formatHex(out)).isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
      assertThatThrownBy(() -> x.privateKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
