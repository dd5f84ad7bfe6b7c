package io.janus.messages;

import java.util.Base64;

/** Unpadded base64url (RFC 4648 section 5), the text form DAP uses for IDs in URLs, headers and config. */
public final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  /** Encodes without padding. */
  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes unpadded base64url.
   *
   * @throws IllegalArgumentException if {@code text} has padding, a character outside the base64url alphabet, or
   *     non-zero unused bits in its last character (so each byte string has exactly one accepted text form)
   */
  public static byte[] decode(String text) {
    if (text.indexOf('=') >= 0) {
      throw new IllegalArgumentException("base64url text must not be padded");
    }
    byte[] out;
    try {
      out = DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not valid unpadded base64url: " + e.getMessage());
    }
    // The JDK decoder ignores the unused low bits of the last character; re-encoding catches non-canonical text.
    if (!ENCODER.encodeToString(out).equals(text)) {
      throw new IllegalArgumentException("base64url text is not canonical");
    }
    return out;
  }
}
