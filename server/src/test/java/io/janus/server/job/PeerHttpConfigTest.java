package io.janus.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.janus.core.MockClock;
import io.janus.core.http.DapHttpClient;
import io.janus.server.binary.Stopper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeerHttpConfigTest {
  @Test
  void theConfiguredKeysBecomeTheRetryPolicy() {
    PeerHttpConfig c = new PeerHttpConfig(5, 7, 100, 400, 2_000);
    assertThat(c.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.retryPolicy().maxBackoff()).isEqualTo(Duration.ofMillis(400));
    assertThat(c.retryPolicy().maxElapsed()).isEqualTo(Duration.ofMillis(2_000));
    assertThat(c.retryPolicy().maxAttempts()).isEqualTo(Integer.MAX_VALUE);
    assertThat(c.client(new MockClock(), d -> { }).request(URI.create("http://h/x")).build().timeout())
        .hasValue(Duration.ofSeconds(7));
  }

  @Test
  void aStoppersSleeperEndsTheRetriesOnceStopped() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    server.start();
    try {
      Stopper stopper = new Stopper();
      stopper.stop();
      DapHttpClient stopping = new PeerHttpConfig(5, 5, 100, 400, 2_000).client(new MockClock(), stopper.sleeper());
      HttpRequest r = stopping.request(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x"))
          .GET().build();
      assertThatThrownBy(() -> stopping.send(r, Instant.parse("2100-01-01T00:00:00Z")))
          .isInstanceOf(InterruptedException.class);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void requestsCarryTheCurrentTraceContext() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> traceparent = new java.util.concurrent.atomic.AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      traceparent.set(exchange.getRequestHeaders().getFirst("traceparent"));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    // A tracer provider with no span processor hands out invalid spans: give it one that records.
    io.opentelemetry.sdk.trace.SdkTracerProvider tracers = io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
        .addSpanProcessor(new io.opentelemetry.sdk.trace.SpanProcessor() {
          @Override
          public void onStart(io.opentelemetry.context.Context parent, io.opentelemetry.sdk.trace.ReadWriteSpan span) {
          }

          @Override
          public boolean isStartRequired() {
            return true;
          }

          @Override
          public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {
          }

          @Override
          public boolean isEndRequired() {
            return true;
          }
        })
        .build();
    try {
      io.opentelemetry.api.OpenTelemetry otel = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
          .setTracerProvider(tracers)
          .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
              io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()))
          .build();
      DapHttpClient client = new PeerHttpConfig(5, 5, 100, 400, 2_000).client(new MockClock(), d -> { }, otel);
      io.opentelemetry.api.trace.Span span = otel.getTracer("test").spanBuilder("step").startSpan();
      try (io.opentelemetry.context.Scope scope = span.makeCurrent()) {
        client.send(client.request(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x"))
            .GET().build());
      } finally {
        span.end();
      }
      assertThat(traceparent.get()).isNotNull().contains(span.getSpanContext().getTraceId());
    } finally {
      tracers.close();
      server.stop(0);
    }
  }
}
