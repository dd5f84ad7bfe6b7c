package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.Datastore;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.Dap09;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
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
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's server spans and the datastore spans under them, over real HTTP and PostgreSQL, recorded by
 * the SDK's in-memory exporter. The requests are the Leader's calls to a Helper, carrying the Leader's
 * {@code traceparent} as an aggregation-job driver sends it.
 */
class Dap09TracingTest {
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("dap.task_id");
  private static final AttributeKey<Long> RETRIES = AttributeKey.longKey(Datastore.ATTR_RETRIES);
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(Datastore.ATTR_OUTCOME);
  /** How long to wait for a span before failing; a guard against hanging, not a timing assertion. */
  private static final long SPAN_WAIT_SECONDS = 30;

  private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
  /** One permit per ended span, released after the exporter has it. */
  private static final Semaphore ENDED = new Semaphore(0);

  private static OpenTelemetrySdk otel;
  private static TestAggregator agg;
  private static HelperRequests helper;
  private static Task task;

  @BeforeAll
  static void setUp() {
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(EXPORTER))
            .addSpanProcessor(new EndSignal())
            .build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    agg = new TestAggregator(10, TestAggregator.FAKE_VDAFS, otel);
    helper = new HelperRequests(agg);
    task = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
  }

  @AfterAll
  static void tearDown() {
    agg.close();
    otel.close();
  }

  @Test
  void aHelperRequestContinuesTheLeadersTraceAndContainsItsTransactions() {
    String traceId = hex(16);
    String leaderSpanId = hex(8);
    AggregationJobId job = helper.jobId();
    HttpResponse<byte[]> r = agg.send("PUT", Dap09.aggregationJobPath(task.id(), job),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ),
        HelperRequests.init(helper.prepareInit(task, agg.reportId(), agg.reportTime(), 1, List.of())).toBytes(),
        Optional.of(agg.leaderToken), Map.of("traceparent", "00-" + traceId + "-" + leaderSpanId + "-01"));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);

    SpanData server = awaitServerSpan(traceId);
    assertThat(server.getName()).isEqualTo("PUT " + Dap09.ROUTE_AGGREGATION_JOB);
    assertThat(server.getParentSpanId()).isEqualTo(leaderSpanId);
    assertThat(server.getParentSpanContext().isRemote()).isTrue();
    assertThat(server.getAttributes().get(METHOD)).isEqualTo("PUT");
    assertThat(server.getAttributes().get(ROUTE)).isEqualTo(Dap09.ROUTE_AGGREGATION_JOB);
    assertThat(server.getAttributes().get(PATH)).isEqualTo(Dap09.aggregationJobPath(task.id(), job));
    assertThat(server.getAttributes().get(STATUS)).isEqualTo(201L);
    assertThat(server.getAttributes().get(TASK_ID)).isEqualTo(task.id().toBase64Url());
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

    List<SpanData> transactions = childrenOf(server);
    assertThat(transactions).extracting(SpanData::getName).contains("aggregate_init");
    assertThat(transactions).allSatisfy(tx -> {
      assertThat(tx.getKind()).isEqualTo(SpanKind.INTERNAL);
      assertThat(tx.getInstrumentationScopeInfo().getName()).isEqualTo(Datastore.INSTRUMENTATION_SCOPE);
      assertThat(tx.getAttributes().get(OUTCOME)).isEqualTo("success");
      assertThat(tx.getAttributes().get(RETRIES)).isZero();
    });
  }

  @Test
  void aRequestWithoutTraceparentStartsATraceAndRecordsTheProblemStatus() {
    TaskId unknown = agg.taskId();
    AggregationJobId job = helper.jobId();
    HttpResponse<byte[]> r = helper.put(unknown, job,
        HelperRequests.init(helper.prepareInit(task, agg.reportId(), agg.reportTime(), 1, List.of())));
    TestAggregator.assertDapProblem(r, "unrecognizedTask", unknown);

    SpanData server = awaitServerSpanFor(Dap09.aggregationJobPath(unknown, job));
    assertThat(server.getParentSpanContext().isValid()).isFalse();
    assertThat(server.getName()).isEqualTo("PUT " + Dap09.ROUTE_AGGREGATION_JOB);
    assertThat(server.getAttributes().get(STATUS)).isEqualTo(400L);
    assertThat(server.getAttributes().get(TASK_ID)).isEqualTo(unknown.toBase64Url());
    // A client's mistake is not the server's error.
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(childrenOf(server)).isNotEmpty();
  }

  @Test
  void anInternalErrorMarksTheServerSpanAsFailed() {
    Task broken = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.BROKEN)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    AggregationJobId job = helper.jobId();
    HttpResponse<byte[]> r = helper.put(broken.id(), job,
        HelperRequests.init(helper.prepareInit(broken, agg.reportId(), agg.reportTime(), 1, List.of())));
    assertThat(r.statusCode()).isEqualTo(500);

    SpanData server = awaitServerSpanFor(Dap09.aggregationJobPath(broken.id(), job));
    assertThat(server.getAttributes().get(STATUS)).isEqualTo(500L);
    assertThat(server.getAttributes().get(ERROR_TYPE)).isNotNull();
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(server.getAttributes().get(TASK_ID)).isEqualTo(broken.id().toBase64Url());
  }

  @Test
  void anUnmatchedPathIsNamedByItsMethodOnly() {
    HttpResponse<byte[]> r = agg.send("GET", "/tasks/not-a-task-id/secrets", Optional.empty(), new byte[0],
        Optional.empty());
    assertThat(r.statusCode()).isEqualTo(404);

    SpanData server = awaitServerSpanFor("/tasks/not-a-task-id/secrets");
    assertThat(server.getName()).isEqualTo("GET");
    assertThat(server.getAttributes().get(ROUTE)).isNull();
    assertThat(server.getAttributes().get(STATUS)).isEqualTo(404L);
    // Not a well-formed task ID, so not recorded as one.
    assertThat(server.getAttributes().get(TASK_ID)).isNull();
  }

  @Test
  void theHpkeConfigRouteNamesTheTaskFromItsQuery() {
    HttpResponse<byte[]> r = agg.send("GET", Dap09.ROUTE_HPKE_CONFIG + "?task_id=" + task.id().toBase64Url(),
        Optional.empty(), new byte[0], Optional.empty());
    assertThat(r.statusCode()).isEqualTo(200);

    SpanData server = awaitServerSpanFor(Dap09.ROUTE_HPKE_CONFIG);
    assertThat(server.getName()).isEqualTo("GET " + Dap09.ROUTE_HPKE_CONFIG);
    assertThat(server.getAttributes().get(TASK_ID)).isEqualTo(task.id().toBase64Url());
  }

  private static SpanData awaitServerSpan(String traceId) {
    return awaitServerSpan(s -> s.getTraceId().equals(traceId));
  }

  private static SpanData awaitServerSpanFor(String path) {
    return awaitServerSpan(s -> path.equals(s.getAttributes().get(PATH)));
  }

  /**
   * Waits until the exporter holds a server span that {@code which} accepts, and returns it. Each test picks its
   * own span (by trace or path): a previous test's span may end after that test saw its response.
   */
  private static SpanData awaitServerSpan(Predicate<SpanData> which) {
    while (true) {
      for (SpanData s : EXPORTER.getFinishedSpanItems()) {
        if (s.getKind() == SpanKind.SERVER && which.test(s)) {
          return s;
        }
      }
      try {
        if (!ENDED.tryAcquire(SPAN_WAIT_SECONDS, TimeUnit.SECONDS)) {
          throw new AssertionError("no server span; spans seen: " + EXPORTER.getFinishedSpanItems());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static List<SpanData> childrenOf(SpanData parent) {
    return EXPORTER.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(parent.getTraceId()) && s.getParentSpanId().equals(parent.getSpanId()))
        .toList();
  }

  private static String hex(int bytes) {
    return HexFormat.of().formatHex(agg.bytes(bytes));
  }

  /** Releases a permit of {@link #ENDED} for every span that ends. */
  private static final class EndSignal implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ENDED.release();
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
