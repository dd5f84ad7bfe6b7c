package io.janus.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a request is retried when it fails transiently: no response at all (I/O error,
 * timeout), HTTP 429, or a 5xx status other than 501 (as Janus's {@code retries.rs} classifies them). Any other
 * status is final. DAP requests are idempotent (PUT with a client-chosen ID, POST polls), so retrying is safe.
 *
 * <p>The wait before retry {@code n} (1-based) is {@code initialBackoff * 2^(n-1)}, capped at {@code maxBackoff};
 * a longer {@code Retry-After} from the server is honoured up to {@code maxBackoff}.
 *
 * @param maxAttempts total attempts including the first, at least 1
 * @param initialBackoff wait before the first retry, not negative
 * @param maxBackoff cap on any one wait, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  /** One attempt, no retries. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  /** Four attempts over about seven seconds: 1 s, 2 s, 4 s between them. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8));

  /** Validates the bounds. */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
    }
  }

  /** The wait before retry {@code retry} (1 for the first retry). */
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
