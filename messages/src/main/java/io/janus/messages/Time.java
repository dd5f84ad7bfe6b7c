package io.janus.messages;

/**
 * An instant as whole seconds since the UNIX epoch. DAP-09 puts it on the wire as a u64; values of 2^63 and above
 * are rejected as malformed since no real clock produces them.
 */
public record Time(long seconds) implements Encodable, Comparable<Time> {
  /** Validates that the time is not negative. */
  public Time {
    if (seconds < 0) {
      throw new IllegalArgumentException("time must not be negative: " + seconds);
    }
  }

  /** Reads a u64 seconds value. */
  public static Time decode(WireReader r) {
    int at = r.position();
    long s = r.u64("Time");
    if (s < 0) {
      throw new DecodeException(at, "Time out of range");
    }
    return new Time(s);
  }

  @Override
  public void encode(WireWriter w) {
    w.u64(seconds);
  }

  /**
   * This time rounded down to a multiple of {@code precision}.
   *
   * @throws IllegalArgumentException if {@code precision} is zero
   */
  public Time truncateTo(DapDuration precision) {
    if (precision.seconds() == 0) {
      throw new IllegalArgumentException("precision must be positive");
    }
    return new Time(seconds - seconds % precision.seconds());
  }

  /** This time plus {@code d}; fails on overflow. */
  public Time plus(DapDuration d) {
    return new Time(Math.addExact(seconds, d.seconds()));
  }

  /** This time minus {@code d}, never below the epoch. */
  public Time minusSaturating(DapDuration d) {
    return new Time(Math.max(0, seconds - d.seconds()));
  }

  /** True if this time is strictly before {@code other}. */
  public boolean isBefore(Time other) {
    return seconds < other.seconds;
  }

  /** True if this time is strictly after {@code other}. */
  public boolean isAfter(Time other) {
    return seconds > other.seconds;
  }

  @Override
  public int compareTo(Time o) {
    return Long.compare(seconds, o.seconds);
  }
}
