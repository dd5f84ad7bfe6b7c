package io.janus.client;

/**
 * Thrown when an aggregator's answer cannot be used: a wrong media type or status, a body that does not decode,
 * an HPKE configuration list with no suite this implementation supports, or (for the collector) aggregate shares
 * that fail to decrypt or to unshard.
 */
public final class DapProtocolException extends DapClientException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a short description. */
  public DapProtocolException(String message) {
    super(message);
  }

  /** Creates an exception with a short description and its cause. */
  public DapProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
