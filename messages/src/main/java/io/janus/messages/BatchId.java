package io.janus.messages;

import java.security.SecureRandom;

/** Identifies a fixed-size (leader-selected) batch (32 bytes). */
public final class BatchId extends FixedId {
  /** Encoded length in bytes. */
  public static final int LENGTH = 32;

  /** Wraps a copy of {@code bytes}; fails unless it is exactly {@link #LENGTH} long. */
  public BatchId(byte[] bytes) {
    super(bytes, LENGTH, "BatchId");
  }

  /** Parses unpadded base64url text; fails with an {@link IllegalArgumentException} that says why. */
  public static BatchId fromBase64Url(String text) {
    return new BatchId(decodeText(text, LENGTH, "BatchId"));
  }

  /** Reads the fixed-length identifier. */
  public static BatchId decode(WireReader reader) {
    return new BatchId(reader.fixed(LENGTH, "BatchId"));
  }

  /** A new random identifier. */
  public static BatchId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new BatchId(b);
  }
}
