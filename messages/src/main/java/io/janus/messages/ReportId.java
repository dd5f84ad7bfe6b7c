package io.janus.messages;

import java.security.SecureRandom;

/** Identifies a client report; VDAF preparation uses it as the nonce (16 bytes). */
public final class ReportId extends FixedId {
  /** Encoded length in bytes. */
  public static final int LENGTH = 16;

  /** Wraps a copy of {@code bytes}; fails unless it is exactly {@link #LENGTH} long. */
  public ReportId(byte[] bytes) {
    super(bytes, LENGTH, "ReportId");
  }

  /** Parses unpadded base64url text; fails with an {@link IllegalArgumentException} that says why. */
  public static ReportId fromBase64Url(String text) {
    return new ReportId(decodeText(text, LENGTH, "ReportId"));
  }

  /** Reads the fixed-length identifier. */
  public static ReportId decode(WireReader reader) {
    return new ReportId(reader.fixed(LENGTH, "ReportId"));
  }

  /** A new random identifier. */
  public static ReportId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new ReportId(b);
  }
}
