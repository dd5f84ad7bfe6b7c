package io.janus.core.auth;

/**
 * One HTTP request header that carries an authentication token. {@code toString} never prints the value.
 *
 * @param name the header name, e.g. {@code Authorization}
 * @param value the header value, e.g. {@code Bearer <token>}; a secret
 */
public record AuthenticationHeader(String name, String value) {
  @Override
  public String toString() {
    return "AuthenticationHeader[name=" + name + ", value=<redacted>]";
  }
}
