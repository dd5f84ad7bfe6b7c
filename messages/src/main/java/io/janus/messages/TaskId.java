package io.janus.messages;

import java.security.SecureRandom;

/** Identifies a DAP task (32 bytes). */
public final class TaskId extends FixedId {
  /** Encoded length in bytes. */
  public static final int LENGTH = 32;

  /** Wraps a copy of {@code bytes}; fails unless it is exactly {@link #LENGTH} long. */
  public TaskId(byte[] bytes) {
    super(bytes, LENGTH, "TaskId");
  }

  /** Parses unpadded base64url text; fails with an {@link IllegalArgumentException} that says why. */
  public static TaskId fromBase64Url(String text) {
    return new TaskId(decodeText(text, LENGTH, "TaskId"));
  }

  /** Reads the fixed-length identifier. */
  public static TaskId decode(WireReader reader) {
    return new TaskId(reader.fixed(LENGTH, "TaskId"));
  }

  /** A new random identifier. */
  public static TaskId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new TaskId(b);
  }
}
