package io.janus.keyrotator;

import io.janus.messages.HpkeConfig;
import java.time.Duration;
import java.util.List;

/**
 * How the global HPKE keys rotate: one key of each suite active at all times, a successor created once the active
 * key is {@code active} old, made active once it has been pending for {@code pending} (every aggregator has then
 * re-read the keys), and the predecessor deleted once it has been expired for {@code expired}.
 *
 * @param pending how long a new key stays pending
 * @param active how long a key stays active before a successor is made
 * @param expired how long an expired key still decrypts before it is deleted
 * @param suites the suites kept; keys of any other suite are phased out
 */
public record RotationPolicy(Duration pending, Duration active, Duration expired, List<Suite> suites) {
  /** Copies the suites. */
  public RotationPolicy {
    suites = List.copyOf(suites);
  }

  /**
   * An HPKE ciphersuite by its RFC 9180 identifiers.
   *
   * @param kemId the KEM
   * @param kdfId the KDF
   * @param aeadId the AEAD
   */
  public record Suite(int kemId, int kdfId, int aeadId) {
    /** The suite of {@code config}. */
    static Suite of(HpkeConfig config) {
      return new Suite(config.kemId(), config.kdfId(), config.aeadId());
    }
  }
}
