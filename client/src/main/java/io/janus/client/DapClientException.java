package io.janus.client;

/**
 * Base of the unchecked exceptions that the DAP client and collector libraries throw when a request to an
 * aggregator fails. The subclass says whose fault it was: {@link DapHttpException} (the server answered with an
 * error status), {@link DapTransportException} (no usable answer arrived) or {@link DapProtocolException} (the
 * answer arrived but cannot be used). Messages never contain secrets, shares or tokens.
 */
public abstract class DapClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a short description. */
  protected DapClientException(String message) {
    super(message);
  }

  /** Creates an exception with a short description and its cause. */
  protected DapClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
