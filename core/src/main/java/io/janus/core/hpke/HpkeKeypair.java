package io.janus.core.hpke;

import io.janus.messages.HpkeConfig;
import java.util.Arrays;

/**
 * An HPKE configuration with its private key. {@code toString} never prints the private key.
 *
 * <p>Not a record, because it carries one hidden field: the private key as {@link Hpke} parsed it at first use
 * (an OpenSSL {@code EVP_PKEY} or a BouncyCastle key), so that every report opened with this keypair reuses it.
 * Equality ignores that cache.
 */
public final class HpkeKeypair {
  private final HpkeConfig config;
  private final byte[] privateKey;
  /** Set by {@link Hpke} on first use; racing threads may each parse, and any result is correct. */
  private volatile Object parsed;

  /**
   * Creates a keypair, copying the private key.
   *
   * @param config the public configuration, as advertised to clients
   * @param privateKey the serialized private key (RFC 9180 SerializePrivateKey)
   * @throws IllegalArgumentException if {@code privateKey} is empty
   */
  public HpkeKeypair(HpkeConfig config, byte[] privateKey) {
    if (privateKey.length == 0) {
      throw new IllegalArgumentException("HPKE private key must not be empty");
    }
    this.config = config;
    this.privateKey = privateKey.clone();
  }

  /** The public configuration, as advertised to clients. */
  public HpkeConfig config() {
    return config;
  }

  /** A copy of the serialized private key (RFC 9180 SerializePrivateKey). */
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** The private key without a copy, for {@link Hpke}'s parsing. */
  byte[] privateKeyBytes() {
    return privateKey;
  }

  /** The parsed private key, or null before the first open. */
  Object parsed() {
    return parsed;
  }

  void parsed(Object p) {
    parsed = p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkeKeypair k && k.config.equals(config) && Arrays.equals(k.privateKey, privateKey);
  }

  @Override
  public int hashCode() {
    return config.hashCode();
  }

  @Override
  public String toString() {
    return "HpkeKeypair[config=" + config + ", privateKey=<redacted>]";
  }
}
