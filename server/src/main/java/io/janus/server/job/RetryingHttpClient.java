package io.janus.server.job;

import io.janus.core.Clock;
import io.janus.server.binary.Stopper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Sends requests to the peer aggregator, retrying transient failures with exponential backoff.
 *
 * <p>A 2xx response is returned. A 429 or 5xx response, or an IO failure (connection refused, timeout), is
 * transient: the request is sent again after a backoff that starts at {@code retry_initial_interval_ms} and doubles
 * up to {@code retry_max_interval_ms}; a {@code Retry-After} header (seconds or HTTP date) lengthens the wait to
 * what the peer asked for. Retrying stops when the next attempt would start after {@code retry_max_elapsed_time_ms}
 * from the first one, or after the caller's deadline; then {@link PeerRequestException} is thrown with
 * {@link PeerRequestException#isTransient()} true. Any other status fails at once with it false. DAP requests are
 * idempotent (the Helper answers a repeated request with its stored answer), which is what makes resending safe.
 *
 * <p>Thread-safe.
 */
public final class RetryingHttpClient {
  /** Waits between attempts; tests substitute one that moves a mock clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    /** Blocks for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
  }

  private final HttpClient http;
  private final PeerHttpConfig config;
  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * Creates a client over {@code http}.
   *
   * @param http the transport
   * @param config timeouts and backoff
   * @param clock measures the elapsed retry time and the deadline
   * @param sleeper waits between attempts
   */
  public RetryingHttpClient(HttpClient http, PeerHttpConfig config, Clock clock, Sleeper sleeper) {
    this.http = http;
    this.config = config;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** A client with its own {@link HttpClient} using the configured connection timeout, sleeping for real. */
  public static RetryingHttpClient create(PeerHttpConfig config, Clock clock) {
    return new RetryingHttpClient(httpClient(config), config, clock, d -> Thread.sleep(d));
  }

  private static HttpClient httpClient(PeerHttpConfig config) {
    return HttpClient.newBuilder().connectTimeout(config.connectionTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * A client with its own {@link HttpClient} using the configured connection timeout, whose backoff waits end
   * early once {@code stopper} trips (see {@link #stoppableSleeper}), so a stopping binary never waits out a
   * backoff.
   */
  public static RetryingHttpClient create(PeerHttpConfig config, Clock clock, Stopper stopper) {
    return new RetryingHttpClient(httpClient(config), config, clock, stoppableSleeper(stopper));
  }

  /**
   * A sleeper that waits on {@code stopper}: if it trips during the wait, the wait ends with
   * {@link InterruptedException}, which fails the request (the job's lease is kept, so the job is retried later).
   */
  public static Sleeper stoppableSleeper(Stopper stopper) {
    return d -> {
      if (stopper.awaitStop(d)) {
        throw new InterruptedException("stopping; the retry was abandoned");
      }
    };
  }

  /**
   * The URI of {@code absolutePath} (for example {@code /tasks/.../aggregate_shares}) under the peer's base
   * {@code endpoint}, keeping any path prefix the endpoint has ({@code https://h/dap} and {@code https://h/dap/}
   * both give {@code https://h/dap/tasks/...}).
   */
  public static URI resolve(URI endpoint, String absolutePath) {
    String base = endpoint.toString();
    String path = absolutePath.startsWith("/") ? absolutePath.substring(1) : absolutePath;
    return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
  }

  /** A request builder for {@code uri} with the configured per-request timeout. */
  public HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(config.requestTimeout());
  }

  /**
   * Sends {@code request} until it succeeds, fails for good, or runs out of time.
   *
   * @param deadline no attempt starts after this instant
   * @return the 2xx response
   * @throws PeerRequestException if the request failed for good or ran out of retries
   * @throws InterruptedException if interrupted while sending or waiting
   */
  public HttpResponse<byte[]> send(HttpRequest request, Instant deadline) throws InterruptedException {
    long startMillis = clock.nowMillis();
    long lastAttemptAt = Math.min(startMillis + config.retryMaxElapsedTimeMs(), deadline.toEpochMilli());
    long backoff = config.retryInitialIntervalMs();
    String what = request.method() + " " + request.uri();
    while (true) {
      OptionalInt status;
      byte[] body;
      IOException failure = null;
      Optional<Duration> retryAfter = Optional.empty();
      try {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
          return response;
        }
        status = OptionalInt.of(code);
        body = response.body() == null ? new byte[0] : response.body();
        if (code != 429 && code < 500) {
          throw new PeerRequestException(what + " was rejected with status " + code + ": " + snippet(body), status,
              false, body, null);
        }
        retryAfter = response.headers().firstValue("Retry-After")
            .flatMap(v -> retryAfter(v, clock.nowMillis()));
      } catch (IOException e) {
        status = OptionalInt.empty();
        body = new byte[0];
        failure = e;
      }
      long wait = Math.max(backoff, retryAfter.map(Duration::toMillis).orElse(0L));
      if (clock.nowMillis() + wait > lastAttemptAt) {
        String reason = status.isPresent() ? "status " + status.getAsInt() + ": " + snippet(body)
            : String.valueOf(failure);
        throw new PeerRequestException(what + " kept failing until its retry time ran out; last " + reason, status,
            true, body, failure);
      }
      sleeper.sleep(Duration.ofMillis(wait));
      backoff = Math.min(backoff * 2, config.retryMaxIntervalMs());
    }
  }

  /** The wait a {@code Retry-After} value asks for: delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
  static Optional<Duration> retryAfter(String value, long nowMillis) {
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      try {
        long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Optional.of(Duration.ofMillis(Math.max(0, at - nowMillis)));
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static String snippet(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    return s.isBlank() ? "(no body)" : s;
  }
}
