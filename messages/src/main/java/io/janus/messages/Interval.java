package io.janus.messages;

/** The half-open time interval {@code [start, start + duration)}. */
public record Interval(Time start, DapDuration duration) implements Encodable {
  /** The empty interval at the epoch, used where no report has been seen yet. */
  public static final Interval EMPTY = new Interval(new Time(0), DapDuration.ZERO);

  /** Validates that the end does not overflow. */
  public Interval {
    if (start.seconds() + duration.seconds() < 0) {
      throw new IllegalArgumentException("interval end overflows: " + start.seconds() + " + " + duration.seconds());
    }
  }

  /** Reads {@code Time start; DapDuration duration}. */
  public static Interval decode(WireReader r) {
    int at = r.position();
    Time start = Time.decode(r);
    DapDuration duration = DapDuration.decode(r);
    if (start.seconds() + duration.seconds() < 0) {
      throw new DecodeException(at, "Interval end overflows");
    }
    return new Interval(start, duration);
  }

  @Override
  public void encode(WireWriter w) {
    start.encode(w);
    duration.encode(w);
  }

  /** The first instant after the interval. */
  public Time end() {
    return new Time(start.seconds() + duration.seconds());
  }

  /** True if {@code t} falls inside the half-open interval. */
  public boolean contains(Time t) {
    return t.seconds() >= start.seconds() && t.seconds() < start.seconds() + duration.seconds();
  }

  /** True if the two half-open intervals share any instant. */
  public boolean overlaps(Interval other) {
    return start.seconds() < other.end().seconds() && other.start().seconds() < end().seconds();
  }

  /**
   * The smallest interval that contains this one and the instant {@code t} (the end is {@code t + 1}).
   *
   * @throws ArithmeticException if {@code t} is the largest representable time
   */
  public Interval mergedWith(Time t) {
    if (this.equals(EMPTY)) {
      return new Interval(t, DapDuration.ofSeconds(1));
    }
    long s = Math.min(start.seconds(), t.seconds());
    long e = Math.max(end().seconds(), Math.addExact(t.seconds(), 1));
    return new Interval(new Time(s), DapDuration.ofSeconds(e - s));
  }

  /** The smallest interval containing both; EMPTY is the identity. */
  public Interval mergedWith(Interval other) {
    if (this.equals(EMPTY)) {
      return other;
    }
    if (other.equals(EMPTY)) {
      return this;
    }
    long s = Math.min(start.seconds(), other.start.seconds());
    long e = Math.max(end().seconds(), other.end().seconds());
    return new Interval(new Time(s), DapDuration.ofSeconds(e - s));
  }
}
