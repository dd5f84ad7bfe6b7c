package io.janus.server.binary;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.janus.server.config.ListenAddress;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small Helidon SE server for operators: {@code GET}/{@code HEAD /healthz} (200 once the binary has started,
 * 503 before) and, when given a Prometheus registry, {@code GET /metrics}. Kept apart from any DAP listener.
 */
final class AdminServer implements AutoCloseable {
  /** The Prometheus text exposition format, version 0.0.4. */
  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final WebServer server;

  private AdminServer(WebServer server) {
    this.server = server;
  }

  /**
   * Starts a server on {@code address}.
   *
   * @param ready whether {@code /healthz} answers 200; read on every request
   * @param health whether to serve {@code /healthz}
   * @param metrics the registry to serve at {@code /metrics}, if any
   * @throws IllegalStateException if the address cannot be bound
   */
  static AdminServer start(ListenAddress address, AtomicBoolean ready, boolean health,
      Optional<PrometheusMeterRegistry> metrics) {
    HttpRouting.Builder routing = HttpRouting.builder();
    if (health) {
      routing.get("/healthz", (req, res) -> health(ready, req, res, true));
      routing.head("/healthz", (req, res) -> health(ready, req, res, false));
    }
    metrics.ifPresent(registry -> routing.get("/metrics", (req, res) -> {
      res.header(HeaderValues.create("Content-Type", PROMETHEUS_CONTENT_TYPE));
      res.send(registry.scrape().getBytes(StandardCharsets.UTF_8));
    }));
    WebServer server = WebServer.builder()
        .host(address.host())
        .port(address.port())
        // The harness owns shutdown ordering; Helidon's own JVM hook would close the server too early.
        .shutdownHook(false)
        .shutdownGracePeriod(Duration.ofSeconds(1))
        .addRouting(routing)
        .build()
        .start();
    if (!server.isRunning()) {
      // Helidon logs a failed bind and returns a stopped server rather than throwing.
      server.stop();
      throw new IllegalStateException("the address is in use or cannot be bound");
    }
    return new AdminServer(server);
  }

  /** The port the server listens on. */
  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }

  private static void health(AtomicBoolean ready, ServerRequest req, ServerResponse res, boolean body) {
    boolean ok = ready.get();
    res.status(ok ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
    if (body) {
      res.send(ok ? "ok" : "starting");
    } else {
      res.send();
    }
  }
}
