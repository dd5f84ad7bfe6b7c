package io.janus.messages;

/** A span of whole seconds; DAP-09 puts it on the wire as a u64. */
public record Duration(long seconds) implements Encodable, Comparable<Duration> {
  /** The zero-length duration. */
  public static final Duration ZERO = new Duration(0);

  /** Validates that the duration is not negative. */
  public Duration {
    if (seconds < 0) {
      throw new IllegalArgumentException("duration must not be negative: " + seconds);
    }
  }

  /** A duration of {@code s} seconds. */
  public static Duration ofSeconds(long s) {
    return new Duration(s);
  }

  /** Reads a u64 seconds value. */
  public static Duration decode(WireReader r) {
    int at = r.position();
    long s = r.u64("Duration");
    if (s < 0) {
      throw new DecodeException(at, "Duration out of range");
    }
    return new Duration(s);
  }

  @Override
  public void encode(WireWriter w) {
    w.u64(seconds);
  }

  @Override
  public int compareTo(Duration o) {
    return Long.compare(seconds, o.seconds);
  }
}
