package io.janus.core.hpke;

/**
 * Thrown when an HPKE ciphertext cannot be opened: wrong key, wrong config id, tampered or malformed ciphertext,
 * or an {@code info}/{@code aad} that differs from the sender's.
 *
 * <p>Checked on purpose: the caller decides whether a failure rejects one report ({@code hpke_decrypt_error}) or
 * aborts the whole operation. The message never contains key or plaintext material.
 */
public final class HpkeException extends Exception {
  /** Creates an exception with a short, secret-free reason. */
  public HpkeException(String message) {
    super(message);
  }

  /** Creates an exception with a short, secret-free reason and the underlying library failure. */
  public HpkeException(String message, Throwable cause) {
    super(message, cause);
  }
}
