package io.janus.core.auth;

/** How an authentication token travels in HTTP. */
public enum AuthenticationTokenType {
  /** {@code DAP-Auth-Token: <token>}, as the DAP-09 text and the interop test design use. */
  DAP_AUTH,
  /** {@code Authorization: Bearer <token>} (RFC 6750). */
  BEARER
}
