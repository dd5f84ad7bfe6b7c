package io.janus.messages;

import java.nio.charset.StandardCharsets;

/**
 * An aggregator endpoint as DAP puts it on the wire: {@code opaque Url<1..2^16-1>} holding ASCII text.
 *
 * @param value the URL text; 1 to 65535 ASCII characters
 */
public record Url(String value) implements Encodable {
  /** Validates length and that every character is ASCII. */
  public Url {
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static String problem(String value) {
    if (value.isEmpty() || value.length() > 0xffff) {
      return "Url must be 1..65535 characters, got " + value.length();
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) > 0x7f) {
        return "Url must be ASCII, found U+" + Integer.toHexString(value.charAt(i)) + " at index " + i;
      }
    }
    return null;
  }

  /** Reads {@code opaque Url<1..2^16-1>}; fails on an empty or non-ASCII value. */
  public static Url decode(WireReader r) {
    int at = r.position();
    byte[] raw = r.opaque16("Url");
    if (raw.length == 0) {
      throw new DecodeException(at, "Url must not be empty");
    }
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] < 0) {
        throw new DecodeException(at + 2 + i, "Url must be ASCII");
      }
    }
    return new Url(new String(raw, StandardCharsets.US_ASCII));
  }

  @Override
  public void encode(WireWriter w) {
    w.opaque16(value.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return value;
  }
}
