package io.janus.cli;

/**
 * A failure the operator can fix, such as a bad tasks file, a missing option value or an unknown key ID. The CLI
 * prints its message as one line and exits with status 1, without a stack trace.
 */
class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
