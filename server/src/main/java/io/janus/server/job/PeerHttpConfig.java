package io.janus.server.job;

import io.janus.core.Clock;
import io.janus.core.http.DapHttpClient;
import io.janus.core.http.RetryPolicy;
import io.janus.core.http.Sleeper;
import io.janus.server.config.ConfigDefault;
import io.janus.server.config.InvalidConfigValueException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Duration;

/**
 * How a job driver talks to the peer aggregator (Janus's {@code HttpClientConfig} and retry keys): timeouts and the
 * exponential backoff used for transient failures. A binary's configuration embeds it with
 * {@link io.janus.server.config.ConfigFlatten}.
 *
 * @param httpRequestConnectionTimeoutS seconds to wait for a TCP/TLS connection (default 10)
 * @param httpRequestTimeoutS seconds to wait for a whole response (default 30)
 * @param retryInitialIntervalMs the first backoff between attempts, in milliseconds (default 1000)
 * @param retryMaxIntervalMs the longest backoff between attempts, in milliseconds (default 30000)
 * @param retryMaxElapsedTimeMs how long one request may be retried in total, in milliseconds (default 300000)
 */
public record PeerHttpConfig(
    @ConfigDefault("10") long httpRequestConnectionTimeoutS,
    @ConfigDefault("30") long httpRequestTimeoutS,
    @ConfigDefault("1000") long retryInitialIntervalMs,
    @ConfigDefault("30000") long retryMaxIntervalMs,
    @ConfigDefault("300000") long retryMaxElapsedTimeMs) {

  /** Validates the ranges. */
  public PeerHttpConfig {
    if (httpRequestConnectionTimeoutS < 1) {
      throw new InvalidConfigValueException("http_request_connection_timeout_s", "must be at least 1");
    }
    if (httpRequestTimeoutS < 1) {
      throw new InvalidConfigValueException("http_request_timeout_s", "must be at least 1");
    }
    if (retryInitialIntervalMs < 1) {
      throw new InvalidConfigValueException("retry_initial_interval_ms", "must be at least 1");
    }
    if (retryMaxIntervalMs < retryInitialIntervalMs) {
      throw new InvalidConfigValueException("retry_max_interval_ms", "must not be less than retry_initial_interval_ms");
    }
    if (retryMaxElapsedTimeMs < 0) {
      throw new InvalidConfigValueException("retry_max_elapsed_time_ms", "must not be negative");
    }
  }

  /** The connection timeout. */
  public Duration connectionTimeout() {
    return Duration.ofSeconds(httpRequestConnectionTimeoutS);
  }

  /** The per-request timeout. */
  public Duration requestTimeout() {
    return Duration.ofSeconds(httpRequestTimeoutS);
  }

  /**
   * The retry policy of one request: from {@code retry_initial_interval_ms}, doubling up to
   * {@code retry_max_interval_ms}, for at most {@code retry_max_elapsed_time_ms}, with no attempt limit (the job's
   * lease deadline bounds it too).
   */
  public RetryPolicy retryPolicy() {
    return RetryPolicy.untilElapsed(Duration.ofMillis(retryInitialIntervalMs), Duration.ofMillis(retryMaxIntervalMs),
        Duration.ofMillis(retryMaxElapsedTimeMs));
  }

  /**
   * The DAP HTTP client these settings describe: its own connection pool with the connect timeout, the request
   * timeout and {@link #retryPolicy()}, waiting between attempts with {@code sleeper} (a binary passes its
   * {@link io.janus.server.binary.Stopper#sleeper()}, so shutting down never waits out a backoff).
   */
  public DapHttpClient client(Clock clock, Sleeper sleeper) {
    return client(clock, sleeper, OpenTelemetry.noop());
  }

  /**
   * The same, with every request carrying the current trace context (W3C {@code traceparent}) through
   * {@code openTelemetry}'s propagators, so the peer's spans join the caller's trace.
   */
  public DapHttpClient client(Clock clock, Sleeper sleeper, OpenTelemetry openTelemetry) {
    TextMapPropagator propagator = openTelemetry.getPropagators().getTextMapPropagator();
    return DapHttpClient.builder().connectTimeout(connectionTimeout()).requestTimeout(requestTimeout())
        .retryPolicy(retryPolicy()).clock(clock).sleeper(sleeper)
        .decorator(b -> propagator.inject(Context.current(), b, (carrier, key, value) -> carrier.header(key, value)))
        .build();
  }

  /**
   * The backoff between leases of a job whose step failed, from the same keys as the per-request backoff:
   * {@code retry_initial_interval_ms}, doubling per failed attempt, up to {@code retry_max_interval_ms}.
   */
  public FailureBackoff failureBackoff() {
    return new FailureBackoff(Duration.ofMillis(retryInitialIntervalMs), Duration.ofMillis(retryMaxIntervalMs));
  }
}
