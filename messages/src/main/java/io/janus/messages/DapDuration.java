package io.janus.messages;

/** A span of whole seconds; DAP-09 puts it on the wire as a u64. */
public record DapDuration(long seconds) implements Encodable, Comparable<DapDuration> {
  /** The zero-length duration. */
  public static final DapDuration ZERO = new DapDuration(0);

  /** Validates that the duration is not negative. */
  public DapDuration {
    if (seconds < 0) {
      throw new IllegalArgumentException("duration must not be negative: " + seconds);
    }
  }

  /** A duration of {@code s} seconds. */
  public static DapDuration ofSeconds(long s) {
    return new DapDuration(s);
  }

  /** Reads a u64 seconds value. */
  public static DapDuration decode(WireReader r) {
    int at = r.position();
    long s = r.u64("Duration");
    if (s < 0) {
      throw new DecodeException(at, "Duration out of range");
    }
    return new DapDuration(s);
  }

  @Override
  public void encode(WireWriter w) {
    w.u64(seconds);
  }

  @Override
  public int compareTo(DapDuration o) {
    return Long.compare(seconds, o.seconds);
  }
}
