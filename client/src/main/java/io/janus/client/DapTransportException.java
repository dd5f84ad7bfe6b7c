package io.janus.client;

import io.janus.core.http.RetryPolicy;

/**
 * Thrown when a request got no HTTP response: connection refused or reset, TLS failure, timeout, or the calling
 * thread was interrupted (the interrupt flag is then set again). Raised after the {@link RetryPolicy} is used up.
 */
public final class DapTransportException extends DapClientException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the request and the underlying failure. */
  public DapTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
