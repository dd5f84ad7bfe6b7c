package io.janus.interop;

/**
 * A test API request that cannot be carried out as sent: a missing or malformed field, an unknown VDAF or query
 * type, or a reference to a task or collection handle this process does not know. The message is written for the
 * test runner's log and becomes the {@code error} of an {@code {"status":"error"}} body.
 */
public final class InteropRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with an operator-facing message. */
  public InteropRequestException(String message) {
    super(message);
  }
}
