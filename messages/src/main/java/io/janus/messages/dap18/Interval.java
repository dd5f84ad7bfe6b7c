package io.janus.messages.dap18;

import io.janus.messages.DapDuration;
import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.Time;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;

/**
 * A half-open interval of time as draft-ietf-ppm-dap-18 puts it on the wire (section 4.1.1): {@code Time start;
 * Duration duration}, both u64 counts of the task's {@code time_precision}, not seconds.
 *
 * <p>That unit is the difference from draft 09 and from the neutral {@link io.janus.messages.Interval}, which counts
 * seconds: {@link #toSeconds} and {@link #fromSeconds} convert, given the task's precision. Values of 2^63 and above
 * are rejected as malformed, like the neutral types do, and so is an interval whose end overflows.
 *
 * @param start the first instant, in time-precision units since the epoch
 * @param duration the length, in time-precision units
 */
public record Interval(long start, long duration) implements Encodable {
  /** Encoded length in bytes. */
  public static final int LENGTH = 16;

  /** Validates that both values are non-negative and that the end does not overflow. */
  public Interval {
    Wire.checkNonNegative(start, "Interval.start");
    Wire.checkNonNegative(duration, "Interval.duration");
    if (start + duration < 0) {
      throw new IllegalArgumentException("interval end overflows: " + start + " + " + duration);
    }
  }

  /** Reads an {@code Interval}. */
  public static Interval decode(WireReader r) {
    int at = r.position();
    long start = Wire.u64NonNegative(r, "Interval.start");
    long duration = Wire.u64NonNegative(r, "Interval.duration");
    if (start + duration < 0) {
      throw new DecodeException(at, "Interval end overflows");
    }
    return new Interval(start, duration);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static Interval decode(byte[] bytes) {
    return Wire.whole(bytes, "Interval", Interval::decode);
  }

  @Override
  public void encode(WireWriter w) {
    w.u64(start).u64(duration);
  }

  /** The first unit after the interval. */
  public long end() {
    return start + duration;
  }

  /** True if the time {@code t} (in units) falls inside the half-open interval. */
  public boolean contains(long t) {
    return t >= start && t < start + duration;
  }

  /**
   * This interval in seconds, for a task whose time precision is {@code precision}.
   *
   * @throws IllegalArgumentException if {@code precision} is zero
   * @throws ArithmeticException if the interval in seconds does not fit in a {@code long}
   */
  public io.janus.messages.Interval toSeconds(DapDuration precision) {
    long p = positive(precision);
    return new io.janus.messages.Interval(new Time(Math.multiplyExact(start, p)),
        DapDuration.ofSeconds(Math.multiplyExact(duration, p)));
  }

  /**
   * The wire form of an interval in seconds whose start and duration are multiples of {@code precision}.
   *
   * @throws IllegalArgumentException if {@code precision} is zero or the interval is not aligned to it
   */
  public static Interval fromSeconds(io.janus.messages.Interval seconds, DapDuration precision) {
    long p = positive(precision);
    long s = seconds.start().seconds();
    long d = seconds.duration().seconds();
    if (s % p != 0 || d % p != 0) {
      throw new IllegalArgumentException("interval " + seconds + " is not a multiple of the time precision " + p);
    }
    return new Interval(s / p, d / p);
  }

  private static long positive(DapDuration precision) {
    if (precision.seconds() == 0) {
      throw new IllegalArgumentException("time precision must be positive");
    }
    return precision.seconds();
  }
}
