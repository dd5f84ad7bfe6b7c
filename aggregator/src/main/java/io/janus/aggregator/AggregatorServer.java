package io.janus.aggregator;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.janus.aggregator.dap09.Dap09Service;
import io.janus.aggregator.dap09.Dap09Protocol;
import io.janus.aggregator.dap18.Dap18Protocol;
import io.janus.aggregator.dap18.Dap18Service;
import io.janus.server.config.ListenAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.helidon.http.HeaderNames;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the aggregator's HTTP server: the DAP routes of every supported draft plus the one error mapping.
 * {@link #routing} is what production and the tests share.
 */
public final class AggregatorServer {
  /**
   * The default {@code Retry-After} (seconds) sent while a collection job is still running
   * ({@code collection_poll_retry_after_s}). Collection takes at least one aggregation-job and one collection-job
   * driver cycle, so polling faster than this only adds load.
   */
  public static final long COLLECTION_POLL_RETRY_AFTER_SECONDS = 10;

  private AggregatorServer() {}

  /**
   * Registers on {@code routing} the DAP-09 and DAP-18 APIs served by {@code aggregator}, the error handlers, and request
   * timing into {@code meters}; records no spans.
   */
  public static void routing(HttpRouting.Builder routing, Aggregator aggregator, MeterRegistry meters) {
    routing(routing, aggregator, meters, OpenTelemetry.noop());
  }

  /**
   * Registers on {@code routing} the DAP-09 and DAP-18 APIs served by {@code aggregator}, the error handlers, request timing
   * into {@code meters}, and one server span per request from {@code openTelemetry} (see {@link HttpTracing}: the
   * span continues a W3C {@code traceparent} sent by the caller).
   */
  public static void routing(HttpRouting.Builder routing, Aggregator aggregator, MeterRegistry meters,
      OpenTelemetry openTelemetry) {
    routing(routing, aggregator, meters, openTelemetry, RequestLimits.DEFAULT);
  }

  /** The same, reading request bodies up to {@code limits}. */
  public static void routing(HttpRouting.Builder routing, Aggregator aggregator, MeterRegistry meters,
      OpenTelemetry openTelemetry, RequestLimits limits) {
    // Tracing first, so the span covers everything the request does, metrics filter included.
    routing.addFilter(new HttpTracing(openTelemetry));
    routing.addFilter(new HttpMetrics(meters));
    // DAP-18 first: on the routes both drafts share it passes the requests of DAP-09 on (see Dap18Service).
    routing.register(new Dap18Service(aggregator, limits));
    routing.register(new Dap09Service(aggregator, limits));
    aggregator.serve(Dap18Protocol.INSTANCE);
    aggregator.serve(Dap09Protocol.INSTANCE);
    methodNotAllowed(routing);
    ProblemDocuments.register(routing, meters);
  }

  /**
   * The methods some DAP draft serves on each DAP resource path (draft 09 and draft 18 share the paths). A request
   * with any other method reaches the last route, {@link #methodNotAllowed}, and gets 405 with {@code Allow}.
   */
  private static final Map<String, String> DAP_PATH_METHODS = Map.of(
      "/hpke_config", "GET, OPTIONS",
      "/tasks/{task_id}/reports", "POST, PUT, OPTIONS",
      "/tasks/{task_id}/aggregation_jobs", "POST",
      "/tasks/{task_id}/aggregation_jobs/{aggregation_job_id}", "GET, POST, PUT, DELETE",
      "/tasks/{task_id}/collection_jobs", "POST",
      "/tasks/{task_id}/collection_jobs/{collection_job_id}", "GET, POST, PUT, DELETE",
      "/tasks/{task_id}/aggregate_shares", "POST",
      "/tasks/{task_id}/aggregate_shares/{aggregate_share_id}", "GET, DELETE");

  /** Answers 405 with {@code Allow} for a method no draft serves on a DAP resource path. */
  private static void methodNotAllowed(HttpRouting.Builder routing) {
    DAP_PATH_METHODS.forEach((path, allow) -> routing.any(path, (req, res) -> {
      res.header(HeaderNames.ALLOW, allow);
      ProblemDocuments.send(res, new DapException.MethodNotAllowed(req.prologue().method().text()));
    }));
  }

  /**
   * Starts a server on {@code address} serving {@code aggregator}, with request metrics in {@code meters} and no
   * spans.
   *
   * @return the running server; {@link WebServer#port()} tells the bound port when {@code address} asked for 0
   */
  public static WebServer start(ListenAddress address, Aggregator aggregator, MeterRegistry meters) {
    return start(address, aggregator, meters, OpenTelemetry.noop());
  }

  /**
   * Starts a server on {@code address} serving {@code aggregator}, with request metrics in {@code meters} and a
   * server span per request from {@code openTelemetry}.
   *
   * @return the running server; {@link WebServer#port()} tells the bound port when {@code address} asked for 0
   */
  public static WebServer start(ListenAddress address, Aggregator aggregator, MeterRegistry meters,
      OpenTelemetry openTelemetry) {
    return start(address, aggregator, meters, openTelemetry, RequestLimits.DEFAULT, ServerLimits.DEFAULT, r -> { });
  }

  /**
   * {@link #start(ListenAddress, Aggregator, MeterRegistry, OpenTelemetry)}, with {@code extraRoutes} registered
   * on the same routing ahead of the DAP API.
   */
  public static WebServer start(ListenAddress address, Aggregator aggregator, MeterRegistry meters,
      OpenTelemetry openTelemetry, RequestLimits limits, ServerLimits server,
      Consumer<HttpRouting.Builder> extraRoutes) {
    return WebServer.builder()
        .host(address.host())
        .port(address.port())
        // A backstop: bodies longer than any endpoint takes are refused before routing.
        .maxPayloadSize(limits.largest())
        .connectionOptions(o -> o.readTimeout(server.readTimeout()))
        .idleConnectionTimeout(server.idleTimeout())
        .idleConnectionPeriod(server.idleCheckPeriod())
        .maxTcpConnections(server.maxTcpConnections())
        .maxConcurrentRequests(server.maxConcurrentRequests())
        .backlog(server.backlog())
        .addProtocol(Http1Config.builder().maxHeadersSize(server.maxHeaderBytes()).build())
        .routing(r -> {
          extraRoutes.accept(r);
          routing(r, aggregator, meters, openTelemetry, limits);
        })
        .build()
        .start();
  }
}
