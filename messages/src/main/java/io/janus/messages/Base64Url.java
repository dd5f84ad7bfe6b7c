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
   * @throws IllegalArgumentException if {@code text} has padding or a character outside the base64url alphabet
   */
  public static byte[] decode(String text) {
    if (text.indexOf('=') >= 0) {
      throw new IllegalArgumentException("base64url text must not be padded");
    }
    try {
      return DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not valid unpadded base64url: " + e.getMessage());
    }
  }
}
