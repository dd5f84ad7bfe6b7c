package io.janus.messages;

import java.security.SecureRandom;

/** Identifies a collection job, chosen by the Collector (16 bytes). */
public final class CollectionJobId extends FixedId {
  /** Encoded length in bytes. */
  public static final int LENGTH = 16;

  /** Wraps a copy of {@code bytes}; fails unless it is exactly {@link #LENGTH} long. */
  public CollectionJobId(byte[] bytes) {
    super(bytes, LENGTH, "CollectionJobId");
  }

  /** Parses unpadded base64url text; fails with an {@link IllegalArgumentException} that says why. */
  public static CollectionJobId fromBase64Url(String text) {
    return new CollectionJobId(decodeText(text, LENGTH, "CollectionJobId"));
  }

  /** Reads the fixed-length identifier. */
  public static CollectionJobId decode(WireReader reader) {
    return new CollectionJobId(reader.fixed(LENGTH, "CollectionJobId"));
  }

  /** A new random identifier. */
  public static CollectionJobId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new CollectionJobId(b);
  }
}
