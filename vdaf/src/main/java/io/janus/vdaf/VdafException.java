package io.janus.vdaf;

/**
 * Signals that a VDAF input could not be used: a malformed encoding (public share, input share, prep share,
 * prep message, prep state, ping-pong message, aggregate share) or a failed verification of a report.
 *
 * <p>This is a checked exception so that each caller decides whether the failure rejects one report or aborts
 * the whole job. The message names what failed; it never contains share values.
 */
public final class VdafException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a short description of what failed.
   *
   * @param message what failed, without secret values
   */
  public VdafException(String message) {
    super(message);
  }
}
