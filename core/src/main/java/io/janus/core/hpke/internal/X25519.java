package io.janus.core.hpke.internal;

/**
 * X25519 (RFC 7748 section 5), the Diffie-Hellman function of DHKEM(X25519, HKDF-SHA256): the one expensive step of
 * an HPKE open, so the one step with more than one implementation.
 *
 * <p>Implementations are thread-safe, and so are the keys they make: one {@link PrivateKey} serves any number of
 * threads at once, which is what lets a keypair be parsed once and shared by every upload.
 */
public interface X25519 {
  /** Length in bytes of private keys, public keys and shared secrets. */
  int LENGTH = 32;

  /** Which implementation this is and what it runs on, for the one log line that records the choice. */
  String description();

  /**
   * Parses a private key (RFC 7748 scalar; clamping is applied by the implementation, so clamped and unclamped
   * encodings of one key agree).
   *
   * @throws IllegalArgumentException if {@code sk} is not {@link #LENGTH} bytes
   */
  PrivateKey privateKey(byte[] sk);

  /**
   * A parsed private key. {@link #close} releases it at once; a key never closed is released when it becomes
   * unreachable, so a key cached for a keypair's lifetime needs no owner.
   */
  interface PrivateKey extends AutoCloseable {
    /** The matching public key (RFC 7748 X25519(k, 9)), computed once at parse time. */
    byte[] publicKey();

    /**
     * Computes X25519(this, peer) into {@code out[0..32)}.
     *
     * @return false if {@code peer} is not {@link #LENGTH} bytes or the result is all zeros (a small-order peer
     *     point, which RFC 9180 section 7.1.4 requires HPKE to reject); {@code out} is then unspecified
     */
    boolean agree(byte[] peer, byte[] out);

    /** Releases the key; idempotent. The key must not be used afterwards. */
    @Override
    void close();
  }
}
