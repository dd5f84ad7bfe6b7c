package io.janus.aggregator;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Times every request into {@code janus_http_server_request_duration{method, route, status}}. The route is the
 * resource's collection name ({@code reports}, {@code aggregation_jobs}, ...), never a raw path, so the label
 * stays low-cardinality whatever clients send.
 */
final class HttpMetrics implements Filter {
  /** The metric's name. */
  static final String NAME = "janus_http_server_request_duration";

  private static final Set<String> ROUTES =
      Set.of("hpke_config", "reports", "aggregation_jobs", "collection_jobs", "aggregate_shares");

  private final MeterRegistry meters;

  HttpMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      Timer.builder(NAME)
          .description("DAP API requests by method, resource and status")
          .tag("method", req.prologue().method().text())
          .tag("route", route(req.path().path()))
          .tag("status", Integer.toString(res.status().code()))
          .register(meters)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** The resource a path names: {@code /hpke_config} or the third segment of {@code /tasks/{id}/...}. */
  static String route(String path) {
    String[] segments = path.split("/", -1);
    // segments[0] is the empty string before the leading slash.
    String name = segments.length > 3 && segments[1].equals("tasks") ? segments[3]
        : segments.length > 1 ? segments[1] : "";
    return ROUTES.contains(name) ? name : "other";
  }
}
