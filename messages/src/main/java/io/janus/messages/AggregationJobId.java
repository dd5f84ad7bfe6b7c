package io.janus.messages;

import java.security.SecureRandom;

/** Identifies an aggregation job, chosen by the Leader (16 bytes). */
public final class AggregationJobId extends FixedId {
  /** Encoded length in bytes. */
  public static final int LENGTH = 16;

  /** Wraps a copy of {@code bytes}; fails unless it is exactly {@link #LENGTH} long. */
  public AggregationJobId(byte[] bytes) {
    super(bytes, LENGTH, "AggregationJobId");
  }

  /** Parses unpadded base64url text; fails with an {@link IllegalArgumentException} that says why. */
  public static AggregationJobId fromBase64Url(String text) {
    return new AggregationJobId(decodeText(text, LENGTH, "AggregationJobId"));
  }

  /** Reads the fixed-length identifier. */
  public static AggregationJobId decode(WireReader reader) {
    return new AggregationJobId(reader.fixed(LENGTH, "AggregationJobId"));
  }

  /** A new random identifier. */
  public static AggregationJobId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new AggregationJobId(b);
  }
}
