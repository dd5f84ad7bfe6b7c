package io.janus.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A bearer secret that one DAP participant presents to another: the Leader to the Helper, or the Collector to the
 * Leader. {@code toString} never prints the secret.
 *
 * @param type how the token travels in HTTP
 * @param token the token text; for {@link AuthenticationTokenType#DAP_AUTH} it must be a valid HTTP header value
 */
public record AuthenticationToken(AuthenticationTokenType type, String token) {
  /** Validates the token's characters for its type. */
  public AuthenticationToken {
    if (token.isEmpty()) {
      throw new IllegalArgumentException("authentication token must not be empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      boolean ok = type == AuthenticationTokenType.BEARER
          // RFC 6750 b64token
          ? (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~+/=".indexOf(c) >= 0
          // visible ASCII, as an HTTP header value allows
          : c >= 0x21 && c <= 0x7e;
      if (!ok) {
        throw new IllegalArgumentException("authentication token has a character not allowed for " + type);
      }
    }
  }

  /** The SHA-256 hash that the receiving side stores in place of the token. */
  public AuthenticationTokenHash hash() {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return new AuthenticationTokenHash(type, h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  @Override
  public String toString() {
    return "AuthenticationToken[type=" + type + ", token=<redacted>]";
  }
}
