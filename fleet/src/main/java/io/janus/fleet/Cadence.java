package io.janus.fleet;

import java.time.Duration;

/**
 * How often an operation runs: at the instants that are zero modulo the cadence, counted from the epoch in UTC
 * (a {@code 5m} cadence fires at :00, :05, :10, ...). So that those instants line up with minutes, hours and
 * days, a cadence in seconds must divide a minute and be under 60, one in minutes must divide an hour and be
 * under 60, and one in hours must divide a day or be a positive multiple of 24.
 *
 * @param period the time between two runs, positive
 */
public record Cadence(Duration period) {
  /** Rejects a period that no unit can express under the rules above. */
  public Cadence {
    long s = period.getSeconds();
    if (period.getNano() != 0 || s <= 0) {
      throw new IllegalArgumentException("a cadence is a positive whole number of seconds");
    }
    boolean ok = s < 60 ? 60 % s == 0
        : s < 3600 ? s % 60 == 0 && 60 % (s / 60) == 0
        : s % 3600 == 0 && (24 % (s / 3600) == 0 || (s / 3600) % 24 == 0);
    if (!ok) {
      throw new IllegalArgumentException("cadence " + s + "s does not divide a minute, an hour or a day");
    }
  }

  /**
   * The cadence {@code period}, written with {@code unit} ({@code s}, {@code m} or {@code h}); the message of a
   * rejection names the rule that unit breaks.
   *
   * @throws IllegalArgumentException naming the rule broken
   */
  public static Cadence of(Duration period, char unit) {
    long n = switch (unit) {
      case 'h' -> period.toHours();
      case 'm' -> period.toMinutes();
      default -> period.getSeconds();
    };
    switch (unit) {
      case 's' -> {
        if (n >= 60 || 60 % n != 0) {
          throw new IllegalArgumentException("a cadence in seconds must divide a minute and be less than 60");
        }
      }
      case 'm' -> {
        if (n >= 60 || 60 % n != 0) {
          throw new IllegalArgumentException("a cadence in minutes must divide an hour and be less than 60");
        }
      }
      case 'h' -> {
        if (24 % n != 0 && n % 24 != 0) {
          throw new IllegalArgumentException(
              "a cadence in hours must divide a day or be a positive multiple of 24");
        }
      }
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    }
    return new Cadence(period);
  }

  /** The period in milliseconds. */
  public long millis() {
    return period.toMillis();
  }

  /** The first instant (epoch milliseconds) strictly after {@code epochMillis} that is zero modulo the cadence. */
  public long nextAfter(long epochMillis) {
    long p = millis();
    return Math.floorDiv(epochMillis, p) * p + p;
  }

  /** The start of the cadence period holding {@code epochMillis}. */
  public long floor(long epochMillis) {
    long p = millis();
    return Math.floorDiv(epochMillis, p) * p;
  }

  @Override
  public String toString() {
    long s = period.getSeconds();
    return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
