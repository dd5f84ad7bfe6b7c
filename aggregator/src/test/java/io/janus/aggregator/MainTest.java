package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.binary.BinaryContext;
import io.janus.server.binary.BinaryHarness;
import io.janus.server.binary.RunningBinary;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.TaskId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary's body started through the real harness, configuration file and database. */
class MainTest {
  private static TestDatabase db;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() throws IOException {
    db.close();
    // The harness installed its own root log handler; give the JVM's default back to later test classes.
    LogManager.getLogManager().readConfiguration();
  }

  @Test
  void servesTheDapApiUntilStopped(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("aggregator.yaml");
    Files.writeString(config, """
        database:
          url: "%s"
          connection_pool_max_size: 2
        health_check_listen_address: "127.0.0.1:0"
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 10
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        """.formatted(db.jdbcUrl()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<BinaryContext<AggregatorConfig>> started = new CompletableFuture<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
        BinaryHarness.builder(Main.NAME, AggregatorConfig.class)
            .environment(Map.of("DATASTORE_KEYS", Crypter.generateKey(new SecureRandom())))
            .streams(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8))
            .installShutdownHook(false)
            .run(new String[] {"--config-file", config.toString()}, ctx -> {
              started.complete(ctx);
              RunningBinary aggregator = Main.start(ctx.config(), ctx.services());
              port.complete(aggregator.port().orElseThrow());
              aggregator.await();
            }));
    BinaryContext<AggregatorConfig> ctx = started.get();

    // Without keys or a task the API answers with a DAP problem: the routing and error mapping are live.
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get() + "/hpke_config")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("urn:ietf:params:ppm:dap:error:missingTaskID");

    ctx.stopper().stop();
    assertThat(exit.get()).as(out.toString(StandardCharsets.UTF_8)).isZero();
  }

  /**
   * The wiring of tracing, end to end: the harness hands its OpenTelemetry to the datastore and {@link Main} to the
   * routing, so a request continues the caller's trace and the transaction it runs is its child.
   */
  @Test
  void tracesEachRequestAndItsTransactionsThroughTheHarness(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("janus.test.seed", System.nanoTime());
    System.out.println("MainTest seed: " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    CompletableFuture<SpanData> serverSpan = new CompletableFuture<>();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .addSpanProcessor(new ServerSpanEnd(serverSpan))
            .build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    Path config = dir.resolve("aggregator.yaml");
    Files.writeString(config, """
        database:
          url: "%s"
          connection_pool_max_size: 2
        health_check_listen_address: "127.0.0.1:0"
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 10
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        """.formatted(db.jdbcUrl()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<BinaryContext<AggregatorConfig>> started = new CompletableFuture<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
        BinaryHarness.builder(Main.NAME, AggregatorConfig.class)
            .environment(Map.of("DATASTORE_KEYS", Crypter.generateKey(new SecureRandom())))
            .streams(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8))
            .installShutdownHook(false)
            .openTelemetry(otel)
            .run(new String[] {"--config-file", config.toString()}, ctx -> {
              started.complete(ctx);
              RunningBinary aggregator = Main.start(ctx.config(), ctx.services());
              port.complete(aggregator.port().orElseThrow());
              aggregator.await();
            }));
    CompletableFuture.anyOf(started, exit).get();
    assertThat(started).as("started; harness output: %s", out.toString(StandardCharsets.UTF_8)).isDone();
    BinaryContext<AggregatorConfig> ctx = started.get();

    byte[] traceId = new byte[16];
    byte[] parentId = new byte[8];
    random.nextBytes(traceId);
    random.nextBytes(parentId);
    String trace = HexFormat.of().formatHex(traceId);
    String parent = HexFormat.of().formatHex(parentId);
    byte[] taskBytes = new byte[TaskId.LENGTH];
    random.nextBytes(taskBytes);
    TaskId unknown = new TaskId(taskBytes);
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get() + "/hpke_config?task_id="
            + unknown.toBase64Url())).header("traceparent", "00-" + trace + "-" + parent + "-01").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);

    // A guard against hanging, not a timing assertion.
    SpanData server = serverSpan.get(30, TimeUnit.SECONDS);
    ctx.stopper().stop();
    assertThat(exit.get()).as(out.toString(StandardCharsets.UTF_8)).isZero();
    // Read the exporter before closing the SDK: shutting the in-memory exporter down empties it.
    List<SpanData> spans = exporter.getFinishedSpanItems();
    otel.close();

    assertThat(server.getName()).isEqualTo("GET /hpke_config");
    assertThat(server.getTraceId()).isEqualTo(trace);
    assertThat(server.getParentSpanId()).isEqualTo(parent);
    assertThat(server.getAttributes().get(HttpTracing.TASK_ID)).isEqualTo(unknown.toBase64Url());
    assertThat(server.getAttributes().get(HttpTracing.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(400L);
    List<SpanData> children = spans.stream()
        .filter(s -> s.getParentSpanId().equals(server.getSpanId())).toList();
    assertThat(children).as("all spans: %s", spans).extracting(SpanData::getName).containsExactly("get_task");
    assertThat(children.get(0).getInstrumentationScopeInfo().getName()).isEqualTo(Datastore.INSTRUMENTATION_SCOPE);
    assertThat(children.get(0).getTraceId()).isEqualTo(trace);
  }

  /** Completes a future with the first server span that ends. */
  private record ServerSpanEnd(CompletableFuture<SpanData> first) implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      if (span.getKind() == SpanKind.SERVER) {
        first.complete(span.toSpanData());
      }
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
