package io.janus.aggregator;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.janus.messages.TaskId;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens one server span per DAP HTTP request, following the OpenTelemetry HTTP semantic conventions: named
 * {@code METHOD route} (for example {@code PUT /tasks/{task_id}/aggregation_jobs/{aggregation_job_id}}), or just
 * {@code METHOD} when no route matched, so span names never contain client-chosen IDs.
 *
 * <p>The parent is taken from the request's W3C {@code traceparent}/{@code tracestate} headers (through the
 * propagators of the {@link OpenTelemetry} given), so a Leader's aggregation-job driver trace continues into the
 * Helper. The span is current while the handler runs, so the datastore transactions it runs become its children.
 * Attributes: {@code http.request.method}, {@code url.path}, {@code url.scheme}, {@code http.route},
 * {@code http.response.status_code}, {@code error.type} (5xx or an escaped exception) and {@value #ATTR_TASK_ID}
 * when the request names a well-formed task ID. Status ERROR for 5xx only: a 4xx is the client's failure.
 */
final class HttpTracing implements Filter {
  /** The instrumentation scope name of the aggregator's server spans. */
  static final String INSTRUMENTATION_SCOPE = "io.janus.aggregator";
  /** Span attribute: the task the request is about, unpadded base64url. */
  static final String ATTR_TASK_ID = "dap.task_id";

  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> TASK_ID = AttributeKey.stringKey(ATTR_TASK_ID);

  /** The query parameter naming the task on {@code /hpke_config}, the same in every draft. */
  private static final String QUERY_TASK_ID = "task_id";
  /** Unpadded base64url length of a task ID. */
  private static final int TASK_ID_TEXT_LENGTH = (TaskId.LENGTH * 4 + 2) / 3;

  private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers carrier) {
      List<String> names = new ArrayList<>(carrier.size());
      for (Header h : carrier) {
        names.add(h.name());
      }
      return names;
    }

    @Override
    public String get(Headers carrier, String key) {
      // The propagator API uses null for "absent"; this is its contract, not ours.
      return carrier == null ? null : carrier.first(HeaderNames.create(key)).orElse(null);
    }
  };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  HttpTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String method = req.prologue().method().text();
    String path = req.path().path();
    Context parent = propagator.extract(Context.root(), req.headers(), HEADERS);
    Span span = tracer.spanBuilder(method)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(HTTP_REQUEST_METHOD, method)
        .setAttribute(URL_PATH, path)
        .setAttribute(URL_SCHEME, req.isSecure() ? "https" : "http")
        .startSpan();
    taskId(path, req).ifPresent(id -> span.setAttribute(TASK_ID, id));
    boolean escaped = false;
    try (Scope ignored = span.makeCurrent()) {
      chain.proceed();
    } catch (RuntimeException | Error e) {
      escaped = true;
      span.recordException(e);
      span.setAttribute(ERROR_TYPE, e.getClass().getName());
      if (!res.isSent()) {
        // Handler failures are answered inside proceed(); this is a later filter failing, which Helidon's error
        // handling answers only after this filter returns. Finish once that status is known.
        res.whenSent(() -> finish(span, req, res));
      }
      throw e;
    } finally {
      if (!escaped || res.isSent()) {
        finish(span, req, res);
      }
    }
  }

  private static void finish(Span span, RoutingRequest req, RoutingResponse res) {
    req.matchingPattern().ifPresent(route -> {
      span.setAttribute(HTTP_ROUTE, route);
      span.updateName(req.prologue().method().text() + " " + route);
    });
    int status = res.status().code();
    span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) {
      span.setAttribute(ERROR_TYPE, Integer.toString(status));
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** The task a request names: {@code /tasks/{task_id}/...}, or {@code ?task_id=} on any other resource. */
  static Optional<String> taskId(String path, RoutingRequest req) {
    String text;
    if (path.startsWith("/tasks/")) {
      int end = path.indexOf('/', "/tasks/".length());
      text = path.substring("/tasks/".length(), end < 0 ? path.length() : end);
    } else if (req.query().contains(QUERY_TASK_ID)) {
      text = req.query().get(QUERY_TASK_ID);
    } else {
      return Optional.empty();
    }
    return wellFormedTaskId(text);
  }

  /** {@code text} if it is a task ID, so a span never carries arbitrary client text as a task ID. */
  static Optional<String> wellFormedTaskId(String text) {
    if (text.length() != TASK_ID_TEXT_LENGTH) {
      // Cheap check first, so junk never costs a decode attempt.
      return Optional.empty();
    }
    try {
      return Optional.of(TaskId.fromBase64Url(text).toBase64Url());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
