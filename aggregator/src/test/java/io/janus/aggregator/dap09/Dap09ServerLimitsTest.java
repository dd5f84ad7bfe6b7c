package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.janus.aggregator.AggregatorServer;
import io.janus.aggregator.RequestLimits;
import io.janus.aggregator.ServerLimits;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.Role;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Report;
import io.janus.server.config.ListenAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DAP listener's limits against clients that hold it: a body trickled byte by byte is cut off, an idle
 * connection is closed, an oversized header section is refused, and a client that goes away mid-body is counted,
 * not logged as a server error, while the server keeps serving. Raw sockets, so the tests control every byte.
 */
class Dap09ServerLimitsTest {
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(1);
  private static TestAggregator agg;
  private static WebServer server;
  private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
  private static Task task;
  private static Task helperTask;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(10);
    task = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    helperTask = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    // The body timeout is long enough for the queue test's held request; the trickle test outlasts it anyway.
    RequestLimits requests = new RequestLimits(1 << 20, 1 << 20, 1 << 20, BODY_TIMEOUT,
        java.util.Optional.of(new io.janus.aggregator.HelperRequestQueue.Config(1, 0, 100)));
    ServerLimits limits = new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(1), 2048, 100, 100, 16);
    server = AggregatorServer.start(new ListenAddress("127.0.0.1", 0), agg.aggregator, METERS, OpenTelemetry.noop(),
        requests, limits, r -> { });
  }

  @AfterAll
  static void tearDown() {
    server.stop();
    agg.close();
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(15_000);
    return s;
  }

  private static String uploadHead(int contentLength) {
    return "PUT " + Dap09.reportsPath(task.id()) + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        + Report.MEDIA_TYPE + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void aTrickledBodyIsCutOffAtTheBodyTimeout() throws Exception {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(uploadHead(100).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      long start = System.nanoTime();
      String answer = null;
      for (int i = 0; i < 100 && answer == null; i++) {
        try {
          out.write(1);
          out.flush();
        } catch (IOException closed) {
          answer = readAll(s.getInputStream());
          break;
        }
        Thread.sleep(200);
        if (s.getInputStream().available() > 0) {
          answer = readAll(s.getInputStream());
        }
      }
      assertThat(answer).startsWith("HTTP/1.1 408");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aFullHelperQueueShedsWith429() throws Exception {
    io.janus.core.auth.AuthenticationHeader auth = io.janus.core.auth.AuthenticationHeaders.header(agg.leaderToken);
    String path = Dap09.aggregationJobPath(helperTask.id(), new io.janus.messages.AggregationJobId(agg.bytes(16)));
    try (Socket held = connect()) {
      // One request takes the only slot and holds it, its body still arriving.
      held.getOutputStream().write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\n" + auth.name() + ": "
          + auth.value() + "\r\nContent-Type: " + Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ
          + "\r\nContent-Length: 100\r\n\r\nx").getBytes(StandardCharsets.ISO_8859_1));
      held.getOutputStream().flush();
      Thread.sleep(200);
      java.net.http.HttpResponse<byte[]> shed = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path))
              .header(auth.name(), auth.value())
              .header("Content-Type", Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ)
              .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      TestAggregator.assertProblem(shed, 429, "about:blank");
      assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write(("GET " + Dap09.ROUTE_HPKE_CONFIG + "?" + Dap09.QUERY_TASK_ID + "="
          + task.id().toBase64Url() + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      byte[] first = new byte[12];
      assertThat(in.readNBytes(first, 0, 12)).isEqualTo(12);
      assertThat(new String(first, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
      long start = System.nanoTime();
      // The answer's rest, then nothing: the server closes the kept-alive connection once idle past the timeout.
      in.readAllBytes();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void anOversizedHeaderSectionIsRefused() throws Exception {
    try (Socket s = connect()) {
      String head = "GET " + Dap09.ROUTE_HPKE_CONFIG + " HTTP/1.1\r\nHost: localhost\r\nX-Padding: "
          + "a".repeat(4096) + "\r\n\r\n";
      s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      // Helidon refuses it as a bad request and closes the connection.
      assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 400").contains("Connection: close");
    }
  }

  @Test
  void aClientThatGoesAwayMidBodyIsCountedAndTheServerKeepsServing() throws Exception {
    double before = METERS.get("janus_http_client_aborts").counter().count();
    try (Socket s = connect()) {
      s.getOutputStream().write((uploadHead(1000) + "abc").getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      Thread.sleep(200);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (METERS.get("janus_http_client_aborts").counter().count() == before && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(METERS.get("janus_http_client_aborts").counter().count()).isEqualTo(before + 1);
    try (Socket s = connect()) {
      s.getOutputStream().write(("GET " + Dap09.ROUTE_HPKE_CONFIG + "?" + Dap09.QUERY_TASK_ID + "="
          + task.id().toBase64Url() + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
  }
}
