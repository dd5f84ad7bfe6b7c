package io.janus.cli;

import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.messages.HpkeConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Checks HPKE keys from a tasks file by using them: a public key must accept a seal, and a private key must open
 * what was sealed to its public key. This catches a truncated key or a keypair pasted from two different keys
 * before the task is stored, rather than when the first report fails to decrypt.
 */
final class HpkeKeyCheck {
  private static final byte[] INFO = "janus_cli key check".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE = "probe".getBytes(StandardCharsets.US_ASCII);

  private HpkeKeyCheck() {}

  /** Empty if {@code config}'s public key is usable, otherwise why not. The suite must be supported. */
  static Optional<String> requireValidPublicKey(HpkeConfig config) {
    try {
      Hpke.seal(config, INFO, new byte[0], MESSAGE);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("public key is not a valid key for its KEM");
    }
  }

  /** Empty if the keypair's private key opens what is sealed to its public key, otherwise why not. */
  static Optional<String> requireMatchingKeys(HpkeKeypair keypair) {
    Optional<String> pk = requireValidPublicKey(keypair.config());
    if (pk.isPresent()) {
      return pk;
    }
    try {
      byte[] opened = Hpke.open(keypair, INFO, Hpke.seal(keypair.config(), INFO, new byte[0], MESSAGE), new byte[0]);
      return Arrays.equals(opened, MESSAGE) ? Optional.empty()
          : Optional.of("private key does not match the public key");
    } catch (HpkeException | IllegalStateException e) {
      // IllegalStateException: the private key does not parse for the KEM.
      return Optional.of("private key does not match the public key");
    }
  }
}
