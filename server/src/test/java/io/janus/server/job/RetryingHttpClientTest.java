package io.janus.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.janus.core.MockClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
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
class RetryingHttpClientTest {
  /** One scripted answer: status, optional Retry-After, body. */
  private record Answer(int status, Optional<String> retryAfter, String body) {}

  private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private final MockClock clock = new MockClock();
  private final List<Duration> sleeps = new ArrayList<>();
  private HttpServer server;
  private RetryingHttpClient client;

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
    PeerHttpConfig config = new PeerHttpConfig(5, 5, 100, 400, 2_000);
    client = new RetryingHttpClient(HttpClient.newHttpClient(), config, clock, d -> {
      sleeps.add(d);
      clock.advanceMillis(d.toMillis());
    });
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
    // The first wait is the backoff (Retry-After 0 asks for less); the second is what the peer asked for.
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  @Test
  void failsAtOnceOnAClientError() {
    script.add(new Answer(400, Optional.empty(), "{\"type\":\"urn:ietf:params:ppm:dap:error:invalidMessage\"}"));
    assertThatThrownBy(() -> client.send(request(), farDeadline()))
        .isInstanceOfSatisfying(PeerRequestException.class, e -> {
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
        .isInstanceOfSatisfying(PeerRequestException.class, e -> {
          assertThat(e.isTransient()).isTrue();
          assertThat(e.status()).hasValue(500);
        });
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
        Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(400));
  }

  @Test
  void givesUpAtTheDeadline() {
    Instant deadline = Instant.ofEpochMilli(clock.nowMillis() + 250);
    assertThatThrownBy(() -> client.send(request(), deadline)).isInstanceOf(PeerRequestException.class);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void connectionFailuresAreTransient() throws IOException {
    int port = server.getAddress().getPort();
    server.stop(0);
    HttpRequest r = client.request(URI.create("http://127.0.0.1:" + port + "/x")).GET().build();
    assertThatThrownBy(() -> client.send(r, farDeadline()))
        .isInstanceOfSatisfying(PeerRequestException.class, e -> {
          assertThat(e.isTransient()).isTrue();
          assertThat(e.status()).isEmpty();
          assertThat(e.getCause()).isInstanceOf(IOException.class);
        });
    assertThat(sleeps).hasSize(6);
  }

  @Test
  void parsesRetryAfterDates() {
    long now = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    assertThat(RetryingHttpClient.retryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).hasValue(Duration.ofSeconds(30));
    assertThat(RetryingHttpClient.retryAfter("12", now)).hasValue(Duration.ofSeconds(12));
    assertThat(RetryingHttpClient.retryAfter("soon", now)).isEmpty();
  }

  @Test
  void resolvesPathsUnderTheEndpointKeepingItsPrefix() {
    assertThat(RetryingHttpClient.resolve(URI.create("https://h.example/dap"), "/tasks/a"))
        .isEqualTo(URI.create("https://h.example/dap/tasks/a"));
    assertThat(RetryingHttpClient.resolve(URI.create("https://h.example/dap/"), "/tasks/a"))
        .isEqualTo(URI.create("https://h.example/dap/tasks/a"));
    assertThat(RetryingHttpClient.resolve(URI.create("http://127.0.0.1:8080"), "/tasks/a"))
        .isEqualTo(URI.create("http://127.0.0.1:8080/tasks/a"));
  }

  @Test
  void aStoppableSleeperEndsTheRetriesOnceStopped() {
    io.janus.server.binary.Stopper stopper = new io.janus.server.binary.Stopper();
    stopper.stop();
    RetryingHttpClient stopping = new RetryingHttpClient(HttpClient.newHttpClient(),
        new PeerHttpConfig(5, 5, 100, 400, 2_000), clock, RetryingHttpClient.stoppableSleeper(stopper));
    script.add(new Answer(503, Optional.empty(), ""));
    assertThatThrownBy(() -> stopping.send(request(), farDeadline())).isInstanceOf(InterruptedException.class);
  }
}
