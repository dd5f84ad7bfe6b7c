package io.janus.core.hpke.internal;

import java.util.Arrays;

/**
 * X25519 in pure Java, from BouncyCastle's RFC 7748 field arithmetic: the fallback wherever libcrypto 3 or the
 * foreign function API is missing.
 */
public final class BouncyCastleX25519 implements X25519 {
  /** The one instance; it holds no state. */
  public static final BouncyCastleX25519 INSTANCE = new BouncyCastleX25519();

  private BouncyCastleX25519() {}

  @Override
  public String description() {
    return "BouncyCastle (pure Java)";
  }

  @Override
  public PrivateKey privateKey(byte[] sk) {
    if (sk.length != LENGTH) {
      throw new IllegalArgumentException("X25519 private key must be 32 bytes, got " + sk.length);
    }
    return new Key(sk.clone());
  }

  /** Nothing native to free: "parsing" is copying the scalar and deriving the public key once. */
  private static final class Key implements PrivateKey {
    private final byte[] sk;
    private final byte[] pk = new byte[LENGTH];

    Key(byte[] sk) {
      this.sk = sk;
      org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(sk, 0, pk, 0);
    }

    @Override
    public byte[] publicKey() {
      return pk.clone();
    }

    @Override
    public boolean agree(byte[] peer, byte[] out) {
      // calculateAgreement clamps the scalar and returns false for an all-zero result.
      return peer.length == LENGTH && org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(sk, 0, peer, 0, out, 0);
    }

    @Override
    public void close() {
      Arrays.fill(sk, (byte) 0);
    }
  }
}
