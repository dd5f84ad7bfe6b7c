package io.janus.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.janus.core.MockClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retry behaviour against a local HTTP server whose answers each test scripts. */
class DapHttpClientTest {
  /** One scripted answer: status, optional Retry-After, body. */
  private record Answer(int status, Optional<String> retryAfter, String body) {}

  private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private final MockClock clock = new MockClock();
  private final List<Duration> sleeps = new ArrayList<>();
  private HttpServer server;
  private DapHttpClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      Answer a = script.poll();
      if (a == null) {
        a = new Answer(500, Optional.empty(), "script exhausted");
      }
      a.retryAfter().ifPresent(v -> exchange.getResponseHeaders().add("Retry-After", v));
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    client = client(POLICY);
  }

  /** Backoff from 100 ms doubling to 400 ms, for 2 s, without jitter so the waits are exact. */
  private static final RetryPolicy POLICY = RetryPolicy.untilElapsed(Duration.ofMillis(100), Duration.ofMillis(400),
      Duration.ofMillis(2_000)).withJitter(0);

  private DapHttpClient client(RetryPolicy policy) {
    return DapHttpClient.builder().retryPolicy(policy).clock(clock).requestTimeout(Duration.ofSeconds(5))
        .decorator(b -> b.header("X-Test", "decorated"))
        .sleeper(d -> {
          sleeps.add(d);
          clock.advanceMillis(d.toMillis());
        }).build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpRequest request() {
    return client.request(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build();
  }

  private static Instant farDeadline() {
    return Instant.parse("2100-01-01T00:00:00Z");
  }

  @Test
  void retriesServerErrorsWithDoublingBackoffUntilSuccess() throws Exception {
    script.add(new Answer(503, Optional.empty(), ""));
    script.add(new Answer(500, Optional.empty(), ""));
    script.add(new Answer(502, Optional.empty(), ""));
    script.add(new Answer(201, Optional.empty(), "ok"));
    HttpResponse<byte[]> r = client.send(request(), farDeadline());
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void honoursRetryAfterOn429() throws Exception {
    script.add(new Answer(429, Optional.of("0"), ""));
    script.add(new Answer(429, Optional.of("1"), ""));
    script.add(new Answer(200, Optional.empty(), ""));
    client.send(request(), farDeadline());
    // The first wait is the backoff (Retry-After 0 asks for less); the second is what the peer asked for, cut to
    // the policy's longest wait.
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(400));
  }

  @Test
  void notImplementedIsFinalLikeEveryOther4xxAnd5xxIsNot() {
    assertThat(RetryPolicy.isRetryableStatus(501)).isFalse();
    assertThat(RetryPolicy.isRetryableStatus(429)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(503)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(404)).isFalse();
    script.add(new Answer(501, Optional.empty(), ""));
    assertThatThrownBy(() -> client.send(request(), farDeadline()))
        .isInstanceOfSatisfying(DapRequestException.class, e -> assertThat(e.isTransient()).isFalse());
    assertThat(sleeps).isEmpty();
  }

  @Test
  void stopsAfterTheAttemptLimit() {
    DapHttpClient twice = client(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10),
        Duration.ofSeconds(60), 0));
    assertThatThrownBy(() -> twice.send(request(), farDeadline()))
        .isInstanceOfSatisfying(DapRequestException.class, e -> {
          assertThat(e.isTransient()).isTrue();
          assertThat(e.getMessage()).contains("2 attempts");
        });
    assertThat(sleeps).containsExactly(Duration.ofMillis(10));
  }

  @Test
  void jitterShortensWaitsWithinItsShare() throws Exception {
    DapHttpClient jittered = client(POLICY.withJitter(0.5));
    for (int i = 0; i < 3; i++) {
      script.add(new Answer(503, Optional.empty(), ""));
    }
    script.add(new Answer(200, Optional.empty(), ""));
    jittered.send(request(), farDeadline());
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void everyRequestCarriesTheDecoratorsHeadersAndTimeout() {
    HttpRequest r = request();
    assertThat(r.headers().firstValue("X-Test")).hasValue("decorated");
    assertThat(r.timeout()).hasValue(Duration.ofSeconds(5));
  }

  @Test
  void failsAtOnceOnAClientError() {
    script.add(new Answer(400, Optional.empty(), "{\"type\":\"urn:ietf:params:ppm:dap:error:invalidMessage\"}"));
    assertThatThrownBy(() -> client.send(request(), farDeadline()))
        .isInstanceOfSatisfying(DapRequestException.class, e -> {
          assertThat(e.isTransient()).isFalse();
          assertThat(e.status()).hasValue(400);
          assertThat(new String(e.body(), StandardCharsets.UTF_8)).contains("invalidMessage");
        });
    assertThat(sleeps).isEmpty();
  }

  @Test
  void givesUpWhenTheElapsedBudgetRunsOut() {
    // Budget 2000 ms: waits 100, 200, then 400 (capped) until 1900 ms; one more wait would pass the budget.
    assertThatThrownBy(() -> client.send(request(), farDeadline()))
        .isInstanceOfSatisfying(DapRequestException.class, e -> {
          assertThat(e.isTransient()).isTrue();
          assertThat(e.status()).hasValue(500);
        });
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
        Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(400));
  }

  @Test
  void givesUpAtTheDeadline() {
    Instant deadline = Instant.ofEpochMilli(clock.nowMillis() + 250);
    assertThatThrownBy(() -> client.send(request(), deadline)).isInstanceOf(DapRequestException.class);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void connectionFailuresAreTransient() throws IOException {
    int port = server.getAddress().getPort();
    server.stop(0);
    HttpRequest r = client.request(URI.create("http://127.0.0.1:" + port + "/x")).GET().build();
    assertThatThrownBy(() -> client.send(r, farDeadline()))
        .isInstanceOfSatisfying(DapRequestException.class, e -> {
          assertThat(e.isTransient()).isTrue();
          assertThat(e.status()).isEmpty();
          assertThat(e.getCause()).isInstanceOf(IOException.class);
        });
    assertThat(sleeps).hasSize(6);
  }

  @Test
  void parsesRetryAfterDates() {
    long now = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    assertThat(DapHttpClient.retryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).hasValue(Duration.ofSeconds(30));
    assertThat(DapHttpClient.retryAfter("12", now)).hasValue(Duration.ofSeconds(12));
    assertThat(DapHttpClient.retryAfter("soon", now)).isEmpty();
  }

  @Test
  void resolvesPathsUnderTheEndpointKeepingItsPrefix() {
    assertThat(DapHttpClient.resolve(URI.create("https://h.example/dap"), "/tasks/a"))
        .isEqualTo(URI.create("https://h.example/dap/tasks/a"));
    assertThat(DapHttpClient.resolve(URI.create("https://h.example/dap/"), "/tasks/a"))
        .isEqualTo(URI.create("https://h.example/dap/tasks/a"));
    assertThat(DapHttpClient.resolve(URI.create("http://127.0.0.1:8080"), "/tasks/a"))
        .isEqualTo(URI.create("http://127.0.0.1:8080/tasks/a"));
  }
}
