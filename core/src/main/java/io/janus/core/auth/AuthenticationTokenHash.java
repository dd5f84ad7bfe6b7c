package io.janus.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The SHA-256 hash of an authentication token: what a receiver stores, so a database leak does not leak tokens.
 *
 * @param type how the token must travel in HTTP
 * @param hash SHA-256 of the token's ASCII bytes, 32 bytes
 */
public record AuthenticationTokenHash(AuthenticationTokenType type, byte[] hash) {
  /** Validates the length and copies the hash. */
  public AuthenticationTokenHash {
    if (hash.length != 32) {
      throw new IllegalArgumentException("token hash must be 32 bytes (SHA-256), got " + hash.length);
    }
    hash = hash.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** True if {@code presented} has this hash and type; compares in constant time. */
  public boolean matches(AuthenticationTokenType presentedType, String presented) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest(presented.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
    // MessageDigest.isEqual is constant-time for equal-length inputs.
    return MessageDigest.isEqual(h, hash) & presentedType == type;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthenticationTokenHash t && t.type == type && Arrays.equals(t.hash, hash);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "AuthenticationTokenHash[type=" + type + "]";
  }
}
