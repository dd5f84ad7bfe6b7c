package io.janus.core.hpke;

import io.janus.messages.HpkeConfig;

/**
 * An HPKE configuration with its private key. {@code toString} never prints the private key.
 *
 * @param config the public configuration, as advertised to clients
 * @param privateKey the serialized private key (RFC 9180 SerializePrivateKey)
 */
public record HpkeKeypair(HpkeConfig config, byte[] privateKey) {
  /** Copies the private key. */
  public HpkeKeypair {
    if (privateKey.length == 0) {
      throw new IllegalArgumentException("HPKE private key must not be empty");
    }
    privateKey = privateKey.clone();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkeKeypair k && k.config.equals(config) && java.util.Arrays.equals(k.privateKey, privateKey);
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
