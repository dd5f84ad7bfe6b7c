package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.DatastoreException;
import io.janus.server.datastore.TooManyRetriesException;
import io.janus.server.testing.TestDatabase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The span {@link Datastore#run} records per transaction, on real PostgreSQL. Datastore spans end on the calling
 * thread before {@code run} returns, so the exporter holds them as soon as the call is back.
 */
class DatastoreTracingTest {
  private static final AttributeKey<Long> RETRIES = AttributeKey.longKey(Datastore.ATTR_RETRIES);
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(Datastore.ATTR_OUTCOME);
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");

  private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
  private static OpenTelemetrySdk otel;
  private static TestDatabase db;
  private static Datastore datastore;

  @BeforeAll
  static void setUp() {
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(EXPORTER)).build())
        .build();
    db = TestDatabase.create();
    datastore = new Datastore(db.dataSource(), db.crypter(), db.clock(), 2, db.meterRegistry(),
        otel.getTracer(Datastore.INSTRUMENTATION_SCOPE));
  }

  @AfterAll
  static void tearDown() {
    db.close();
    otel.close();
  }

  @BeforeEach
  void clear() {
    EXPORTER.reset();
  }

  @Test
  void aTransactionIsAChildOfTheCurrentSpan() {
    Tracer tracer = otel.getTracer("test");
    Span parent = tracer.spanBuilder("caller").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      int count = datastore.run("count_tasks", tx -> tx.tasks().getAll().size());
      assertThat(count).isZero();
    } finally {
      parent.end();
    }

    SpanData tx = only("count_tasks");
    assertThat(tx.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
    assertThat(tx.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(tx.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(tx.getAttributes().get(OUTCOME)).isEqualTo("success");
    assertThat(tx.getAttributes().get(RETRIES)).isZero();
    assertThat(tx.getAttributes().get(DB_SYSTEM)).isEqualTo("postgresql");
    assertThat(tx.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void withoutACurrentSpanATransactionStartsATrace() {
    datastore.run("root_tx", tx -> tx.tasks().getAll());
    assertThat(only("root_tx").getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void oneSpanCoversEveryAttemptAndCountsTheRetries() {
    AtomicInteger attempts = new AtomicInteger();
    int result = datastore.run("retried_once", tx -> {
      if (attempts.getAndIncrement() == 0) {
        throw serializationFailure();
      }
      return 7;
    });
    assertThat(result).isEqualTo(7);

    SpanData tx = only("retried_once");
    assertThat(tx.getAttributes().get(RETRIES)).isEqualTo(1L);
    assertThat(tx.getAttributes().get(OUTCOME)).isEqualTo("success");
    assertThat(tx.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void aTransactionThatRunsOutOfRetriesIsAFailedSpan() {
    assertThatThrownBy(() -> datastore.run("always_conflicts", tx -> {
      throw serializationFailure();
    })).isInstanceOf(TooManyRetriesException.class);

    SpanData tx = only("always_conflicts");
    assertThat(tx.getAttributes().get(RETRIES)).isEqualTo(2L);
    assertThat(tx.getAttributes().get(OUTCOME)).isEqualTo("error_too_many_retries");
    assertThat(tx.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(tx.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
  }

  @Test
  void aBodyFailureIsRecordedOnTheSpan() {
    assertThatThrownBy(() -> datastore.run("body_fails", tx -> {
      throw new IllegalStateException("on purpose");
    })).isInstanceOf(IllegalStateException.class);

    SpanData tx = only("body_fails");
    assertThat(tx.getAttributes().get(OUTCOME)).isEqualTo("error_other");
    assertThat(tx.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(tx.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
  }

  private static DatastoreException serializationFailure() {
    return new DatastoreException("conflict", new SQLException("could not serialize access", "40001"));
  }

  /** The one span named {@code name}: a transaction is one span however many attempts it took. */
  private static SpanData only(String name) {
    List<SpanData> spans = EXPORTER.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }
}
