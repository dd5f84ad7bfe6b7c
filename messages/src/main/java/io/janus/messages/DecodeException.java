package io.janus.messages;

/**
 * Thrown when bytes do not decode to a well-formed message. It is the only exception a decoder throws.
 *
 * <p>The message names what was being read and the byte offset at which decoding failed, so an operator or a
 * peer can tell what was wrong without a debugger.
 */
public final class DecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * Creates an exception for a failure at {@code offset} of the input.
   *
   * @param offset byte offset into the whole input where the problem was found
   * @param message what was wrong, naming the field
   */
  public DecodeException(int offset, String message) {
    super(message + " (at byte " + offset + ")");
    this.offset = offset;
  }

  /** Byte offset into the whole input at which decoding failed. */
  public int offset() {
    return offset;
  }
}
