package io.janus.server.job;

import java.time.Duration;

/**
 * How long a job driver waits before retrying a job whose step failed: {@code initial} after the first failed
 * attempt, doubling with each further attempt, never more than {@code max}. A transient failure of the peer is
 * thus retried within seconds instead of after a whole lease, while a job that keeps failing backs off until it is
 * abandoned. Immutable.
 *
 * @param initial the wait after the first failed attempt; not negative
 * @param max the longest wait; at least {@code initial}
 */
public record FailureBackoff(Duration initial, Duration max) {
  /** The backoff of the default {@link PeerHttpConfig}: 1 s, doubling up to 30 s. */
  public static final FailureBackoff DEFAULT = new FailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /** Validates the ranges. */
  public FailureBackoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("invalid failure backoff: " + initial + ", " + max);
    }
  }

  /**
   * Returns the wait before the next lease of a job whose {@code attempts}-th attempt (1 or more; counted by the
   * lease) just failed: {@code initial * 2^(attempts - 1)}, capped at {@code max}.
   */
  public Duration delay(long attempts) {
    long doublings = Math.max(0, attempts - 1);
    long initialMillis = initial.toMillis();
    long maxMillis = max.toMillis();
    if (initialMillis == 0) {
      return Duration.ZERO;
    }
    // A shift reaching the sign bit would overflow; the cap applies long before that.
    if (doublings >= Long.numberOfLeadingZeros(initialMillis) - 1) {
      return max;
    }
    long millis = initialMillis << doublings;
    return millis >= maxMillis ? max : Duration.ofMillis(millis);
  }
}
