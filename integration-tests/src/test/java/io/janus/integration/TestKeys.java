package io.janus.integration;

import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.messages.HpkeAlgorithms;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Keys, tokens and random bytes for deployments under test, drawn from a seeded source so a run replays. */
final class TestKeys {
  private TestKeys() {}

  static byte[] bytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A token of 16 random bytes in hex: valid for both bearer and DAP-Auth tokens. */
  static String token(SecureRandom random) {
    return HexFormat.of().formatHex(bytes(random, 16));
  }

  /** An X25519 / HKDF-SHA256 / AES-128-GCM keypair with config ID {@code configId}. */
  static HpkeKeypair keypair(SecureRandom random, int configId) {
    return Hpke.derive(configId, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(random, 32));
  }
}
