package io.janus.core.http;

import io.janus.core.Clock;
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
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The one HTTP client of every outbound DAP request: the Leader's requests to the Helper, a client's uploads and
 * configuration fetches, a collector's collection jobs. It sends a request until it gets a 2xx answer, retrying
 * transient failures as the {@link RetryPolicy} says ({@link RetryPolicy#isRetryableStatus the one table} of
 * retryable statuses, exponential backoff with jitter, {@code Retry-After}), and fails with a
 * {@link DapRequestException} that carries the last status and body. Every request gets the per-request timeout and
 * whatever headers the decorator adds (a server adds W3C trace context there). DAP requests are idempotent (PUT
 * with a client-chosen ID, POST polls, the Helper's stored answers), which is what makes resending safe.
 *
 * <p>Thread-safe; one instance (and so one connection pool) should serve all requests of a process's component.
 */
public final class DapHttpClient {
  private final HttpClient http;
  private final RetryPolicy policy;
  private final Duration requestTimeout;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Consumer<HttpRequest.Builder> decorator;
  private final SplittableRandom random = new SplittableRandom();

  private DapHttpClient(Builder b) {
    this.http = b.http != null ? b.http : defaultHttpClient(b.connectTimeout);
    this.policy = b.policy;
    this.requestTimeout = b.requestTimeout;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.decorator = b.decorator;
  }

  /** A builder with {@link RetryPolicy#DEFAULT}, a 30 s request timeout and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An HTTP client suited to DAP: HTTP/1.1 (aggregators are not known to offer cleartext HTTP/2, and pooled
   * keep-alive connections suffice), the given connect timeout, and redirects followed except from HTTPS to HTTP.
   */
  public static HttpClient defaultHttpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** The retry policy. */
  public RetryPolicy policy() {
    return policy;
  }

  /** The clock that measures retry time; callers that wait between requests of their own read it too. */
  public Clock clock() {
    return clock;
  }

  /**
   * Waits {@code duration} with this client's sleeper, as between retries: callers that poll a resource (draft 18's
   * asynchronous answers) wait the same way, so a binary's shutdown and a test's mock clock govern their waits too.
   */
  public void sleep(Duration duration) throws InterruptedException {
    sleeper.sleep(duration);
  }

  /** A request builder for {@code uri} with the per-request timeout and the decorator's headers. */
  public HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout);
    decorator.accept(b);
    return b;
  }

  /** {@link #send(HttpRequest, Instant)} with no deadline but the policy's. */
  public HttpResponse<byte[]> send(HttpRequest request) throws InterruptedException {
    return send(request, Instant.MAX);
  }

  /**
   * Sends {@code request} until it succeeds, fails for good, or runs out of attempts or time.
   *
   * @param deadline no attempt starts after this instant
   * @return the 2xx response
   * @throws DapRequestException if the request was refused, or kept failing transiently until the policy or the
   *     deadline ended the retries
   * @throws InterruptedException if interrupted while sending or waiting
   */
  public HttpResponse<byte[]> send(HttpRequest request, Instant deadline) throws InterruptedException {
    long start = clock.nowMillis();
    long lastStart = saturatedAdd(start, policy.maxElapsed().toMillis());
    if (deadline.isBefore(Instant.ofEpochMilli(Long.MAX_VALUE))) {
      lastStart = Math.min(lastStart, deadline.toEpochMilli());
    }
    String what = request.method() + " " + request.uri();
    for (int attempt = 1; ; attempt++) {
      OptionalInt status;
      byte[] body;
      Optional<String> contentType = Optional.empty();
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
        contentType = response.headers().firstValue("Content-Type");
        if (!RetryPolicy.isRetryableStatus(code)) {
          throw new DapRequestException(what + " was refused with status " + code + ": " + snippet(body), status,
              false, body, contentType, null);
        }
        retryAfter = response.headers().firstValue("Retry-After").flatMap(v -> retryAfter(v, clock.nowMillis()));
      } catch (IOException e) {
        status = OptionalInt.empty();
        body = new byte[0];
        failure = e;
      }
      long wait = jittered(policy.backoff(attempt).toMillis());
      if (retryAfter.isPresent()) {
        // Honour the server's wait, but never longer than the policy's longest: a peer cannot park us for hours.
        wait = Math.max(wait, Math.min(retryAfter.get().toMillis(), policy.maxBackoff().toMillis()));
      }
      if (attempt >= policy.maxAttempts() || clock.nowMillis() + wait > lastStart) {
        String reason = status.isPresent() ? "status " + status.getAsInt() + ": " + snippet(body)
            : describe(failure);
        throw new DapRequestException(what + " kept failing (" + attempt + " attempts); last " + reason, status,
            true, body, contentType, failure);
      }
      sleeper.sleep(Duration.ofMillis(wait));
    }
  }

  private long jittered(long millis) {
    if (policy.jitter() == 0 || millis == 0) {
      return millis;
    }
    synchronized (random) {
      return millis - (long) (millis * policy.jitter() * random.nextDouble());
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * The URI of {@code path} (for example {@code /tasks/.../reports}) under a server's base {@code endpoint},
   * keeping any path prefix the endpoint has ({@code https://h/dap} and {@code https://h/dap/} both give
   * {@code https://h/dap/tasks/...}).
   */
  public static URI resolve(URI endpoint, String path) {
    String base = endpoint.toString();
    String p = path.startsWith("/") ? path.substring(1) : path;
    return URI.create(base.endsWith("/") ? base + p : base + "/" + p);
  }

  /**
   * The wait a {@code Retry-After} value asks for (RFC 9110 section 10.2.3): delay-seconds, or an HTTP-date
   * measured against {@code nowMillis} (a date in the past means no wait); empty if unparseable.
   */
  public static Optional<Duration> retryAfter(String value, long nowMillis) {
    String v = value.strip();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Absurdly long values saturate rather than overflow.
      return Optional.of(Duration.ofSeconds(v.length() > 12 ? 999_999_999_999L : Long.parseLong(v)));
    }
    try {
      long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Optional.of(Duration.ofMillis(Math.max(0, at - nowMillis)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String snippet(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    return s.isBlank() ? "(no body)" : s;
  }

  /** Builds a {@link DapHttpClient}. Not thread-safe. */
  public static final class Builder {
    private HttpClient http;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private RetryPolicy policy = RetryPolicy.DEFAULT;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.SYSTEM;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Consumer<HttpRequest.Builder> decorator = b -> { };

    private Builder() {}

    /** The transport to use (default: {@link #defaultHttpClient} with the connect timeout). */
    public Builder httpClient(HttpClient v) {
      http = Objects.requireNonNull(v);
      return this;
    }

    /** The connect timeout of the default transport (default 10 s). */
    public Builder connectTimeout(Duration v) {
      connectTimeout = requirePositive(v, "connectTimeout");
      return this;
    }

    /** How transient failures are retried. */
    public Builder retryPolicy(RetryPolicy v) {
      policy = Objects.requireNonNull(v);
      return this;
    }

    /** The limit on each attempt, from sending the request to receiving the response headers (default 30 s). */
    public Builder requestTimeout(Duration v) {
      requestTimeout = requirePositive(v, "requestTimeout");
      return this;
    }

    /** Measures elapsed retry time and reads dated {@code Retry-After} values. */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v);
      return this;
    }

    /** Waits between attempts. */
    public Builder sleeper(Sleeper v) {
      sleeper = Objects.requireNonNull(v);
      return this;
    }

    /** Adds headers to every request, for example trace context. */
    public Builder decorator(Consumer<HttpRequest.Builder> v) {
      decorator = Objects.requireNonNull(v);
      return this;
    }

    /** The client. */
    public DapHttpClient build() {
      return new DapHttpClient(this);
    }

    private static Duration requirePositive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
