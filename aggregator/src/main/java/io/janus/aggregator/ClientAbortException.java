package io.janus.aggregator;

/**
 * Reading a request body failed because the client went away or stopped sending (its connection broke, or the
 * server's read timeout passed). {@link ProblemDocuments} counts it and logs it at debug level only.
 */
public final class ClientAbortException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ClientAbortException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
