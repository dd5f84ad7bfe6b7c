package io.janus.core.auth;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads authentication tokens from HTTP request headers, writes the header for a token, and verifies a presented
 * token against a stored hash. Free of any HTTP framework: callers pass a header lookup function.
 *
 * <p>Two carriers are accepted, as Janus accepts them: {@code Authorization: Bearer <token>} (RFC 6750) and
 * {@code DAP-Auth-Token: <token>} (the header DAP-09 and the interop test design use).
 */
public final class AuthenticationHeaders {
  /** The standard header for {@link AuthenticationTokenType#BEARER} tokens. */
  public static final String AUTHORIZATION = "Authorization";
  /** The header for {@link AuthenticationTokenType#DAP_AUTH} tokens. */
  public static final String DAP_AUTH_TOKEN = "DAP-Auth-Token";

  private static final String BEARER_SCHEME = "Bearer";

  private AuthenticationHeaders() {}

  /**
   * Extracts the token a request presents.
   *
   * <p>An {@code Authorization} header with the {@code Bearer} scheme (matched case-insensitively, RFC 9110
   * section 11.1) wins; if it is present but its token is empty or has characters RFC 6750 does not allow, the
   * result is empty rather than a fall back to {@code DAP-Auth-Token}, so an ambiguous request never
   * authenticates. An {@code Authorization} header with another scheme (say, Basic for a proxy) is ignored. Then
   * a {@code DAP-Auth-Token} header of visible ASCII is accepted.
   *
   * @param header looks up the first value of a header by name; HTTP header names are case-insensitive, so the
   *     function must be too
   * @return the presented token, or empty if the request carries none or carries a malformed one
   */
  public static Optional<AuthenticationToken> parse(Function<String, Optional<String>> header) {
    Optional<String> authorization = header.apply(AUTHORIZATION);
    if (authorization.isPresent()) {
      String v = authorization.get();
      if (v.length() > BEARER_SCHEME.length()
          && v.regionMatches(true, 0, BEARER_SCHEME, 0, BEARER_SCHEME.length())
          && v.charAt(BEARER_SCHEME.length()) == ' ') {
        return token(AuthenticationTokenType.BEARER, v.substring(BEARER_SCHEME.length() + 1).strip());
      }
    }
    return header.apply(DAP_AUTH_TOKEN).flatMap(v -> token(AuthenticationTokenType.DAP_AUTH, v.strip()));
  }

  /** The header that carries {@code token} on an outgoing request, according to its type. */
  public static AuthenticationHeader header(AuthenticationToken token) {
    return switch (token.type()) {
      case BEARER -> new AuthenticationHeader(AUTHORIZATION, BEARER_SCHEME + " " + token.token());
      case DAP_AUTH -> new AuthenticationHeader(DAP_AUTH_TOKEN, token.token());
    };
  }

  /**
   * True if a request presents a token matching {@code expected}: same type and same SHA-256 hash, compared in
   * constant time. An absent token never matches.
   */
  public static boolean verify(Optional<AuthenticationToken> presented, AuthenticationTokenHash expected) {
    return presented.map(t -> expected.matches(t.type(), t.token())).orElse(false);
  }

  /**
   * True if a request's headers present a token matching {@code expected}; shorthand for {@link #parse} then
   * {@link #verify(Optional, AuthenticationTokenHash)}.
   */
  public static boolean verify(Function<String, Optional<String>> header, AuthenticationTokenHash expected) {
    return verify(parse(header), expected);
  }

  private static Optional<AuthenticationToken> token(AuthenticationTokenType type, String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new AuthenticationToken(type, text));
    } catch (IllegalArgumentException e) {
      // Characters the token type does not allow: the request is malformed, so it presents no usable token.
      return Optional.empty();
    }
  }
}
