package io.janus.core.http;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how patiently a DAP request is retried, the same for every outbound request: the Leader's calls to the
 * Helper, a client's uploads, a collector's polls.
 *
 * <p>A failure is transient when no response came (I/O error, timeout) or the status is 429 or a 5xx other than 501
 * ({@link #isRetryableStatus}, as Janus classifies them); anything else is final. The wait before retry {@code n}
 * is {@code initialBackoff * 2^(n-1)}, capped at {@code maxBackoff}, then shortened at random by up to
 * {@code jitter} of itself so that many senders failing together do not retry in lockstep. A longer
 * {@code Retry-After} from the server is honoured up to {@code maxBackoff}. Retrying stops after
 * {@code maxAttempts} attempts, or when the next attempt would start more than {@code maxElapsed} after the first.
 *
 * @param maxAttempts attempts including the first, at least 1
 * @param initialBackoff the wait before the first retry, not negative
 * @param maxBackoff the cap on any one wait, at least {@code initialBackoff}
 * @param maxElapsed no retry starts later than this after the first attempt
 * @param jitter the largest share of a wait cut at random, from 0 (none) to 1
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxElapsed,
    double jitter) {
  /** One attempt, no retries. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);
  /** For clients and collectors: four attempts, waits of about 1, 2 and 4 seconds. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8),
      Duration.ofSeconds(30), 0.25);

  /** Validates the bounds. */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxElapsed, "maxElapsed");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxElapsed.isNegative()) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff and maxElapsed >= 0");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
    }
  }

  /**
   * At most {@code maxAttempts} attempts with these waits, with no time limit beyond them and the default jitter
   * (a quarter of each wait).
   */
  public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this(maxAttempts, initialBackoff, maxBackoff, Duration.ofDays(1), 0.25);
  }

  /**
   * Retries until {@code maxElapsed} has passed (no attempt limit), as the Leader's job drivers do: their lease
   * deadline bounds the time anyway.
   */
  public static RetryPolicy untilElapsed(Duration initialBackoff, Duration maxBackoff, Duration maxElapsed) {
    return new RetryPolicy(Integer.MAX_VALUE, initialBackoff, maxBackoff, maxElapsed, 0.25);
  }

  /** This policy with another jitter (0 makes waits exact, for tests). */
  public RetryPolicy withJitter(double j) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxElapsed, j);
  }

  /** The wait before retry {@code retry} (1 for the first retry), before jitter. */
  public Duration backoff(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry numbers start at 1, got " + retry);
    }
    Duration d = initialBackoff;
    for (int i = 1; i < retry && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  /** True if an HTTP status is worth retrying: 429, or 5xx except 501 Not Implemented. */
  public static boolean isRetryableStatus(int status) {
    return status == 429 || (status >= 500 && status <= 599 && status != 501);
  }
}
