package io.janus.integration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP relay between the Leader's job drivers and the Helper aggregator(s): the Leader's task names the gate as
 * its peer, and the test decides what the Helper seems to do.
 * <ul>
 *   <li>{@link Mode#OPEN}: every request is relayed, round-robin over the Helper instances; if the chosen Helper
 *       is not listening (stopped), the gate answers 502 as a load balancer would.
 *   <li>{@link Mode#DOWN}: every request is answered 503 without reaching a Helper, as by a load balancer in front
 *       of a Helper that is not running.
 *   <li>{@link Mode#HOLD_AGGREGATION_JOBS}: aggregation-job requests are relayed and the Helper's answer is kept
 *       back until the gate opens again: the Helper has committed, the Leader never hears it. Other requests are
 *       relayed as in OPEN.
 *   <li>{@link Mode#HOLD_AGGREGATE_SHARES}: the same for aggregate-share requests.
 *   <li>{@link Mode#DOWN_AGGREGATE_SHARES}: aggregate-share requests are answered 503 without reaching a Helper;
 *       aggregation-job requests are relayed as in OPEN (a Helper that is failing one endpoint).
 * </ul>
 * Thread-safe.
 */
final class HelperGate implements AutoCloseable {
  /** What the gate does with a request. */
  enum Mode { OPEN, DOWN, HOLD_AGGREGATION_JOBS, HOLD_AGGREGATE_SHARES, DOWN_AGGREGATE_SHARES }

  private static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept", "Authorization",
      "DAP-Auth-Token", "dap-taskprov");
  private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Location", "Retry-After");

  private final HttpServer server;
  private volatile List<URI> helpers;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OPEN);
  private final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(0));
  private final AtomicInteger relayed = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger unreachable = new AtomicInteger();
  private final AtomicInteger[] perHelper;

  private HelperGate(HttpServer server, List<URI> helpers) {
    this.server = server;
    this.helpers = List.copyOf(helpers);
    this.perHelper = new AtomicInteger[helpers.size()];
    for (int i = 0; i < perHelper.length; i++) {
      perHelper[i] = new AtomicInteger();
    }
  }

  /** Points the gate at other Helper instances (as many as before), e.g. after a Helper was restarted. */
  void helpers(List<URI> restarted) {
    if (restarted.size() != perHelper.length) {
      throw new IllegalArgumentException("expected " + perHelper.length + " Helper endpoints");
    }
    helpers = List.copyOf(restarted);
  }

  /** Starts a gate on a loopback port in front of {@code helpers} (their base DAP endpoints). */
  static HelperGate start(List<URI> helpers) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      HelperGate gate = new HelperGate(server, helpers);
      server.createContext("/", gate::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return gate;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the helper gate", e);
    }
  }

  /** The gate's base URI, to put in the Leader's task as the Helper's endpoint. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Switches the mode; leaving a holding mode lets every held answer go. */
  void mode(Mode m) {
    boolean holding = m == Mode.HOLD_AGGREGATION_JOBS || m == Mode.HOLD_AGGREGATE_SHARES;
    if (holding) {
      release.set(new CountDownLatch(1));
    }
    mode.set(m);
    if (!holding) {
      release.get().countDown();
    }
  }

  /** Requests relayed to a Helper so far (held ones included). */
  int relayed() {
    return relayed.get();
  }

  /** Requests answered 503 in {@link Mode#DOWN} so far. */
  int refused() {
    return refused.get();
  }

  /** Requests answered 502 because no Helper was listening (it was stopped). */
  int unreachable() {
    return unreachable.get();
  }

  /** Helper answers kept back so far in the holding modes. */
  int held() {
    return held.get();
  }

  /** Requests relayed to the Helper instance {@code index}. */
  int relayedTo(int index) {
    return perHelper[index].get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Mode m = mode.get();
      if (m == Mode.DOWN
          || (m == Mode.DOWN_AGGREGATE_SHARES && exchange.getRequestURI().getPath().endsWith("/aggregate_shares"))) {
        refused.incrementAndGet();
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      List<URI> upstreams = helpers;
      int target = Math.floorMod(next.getAndIncrement(), upstreams.size());
      HttpResponse<byte[]> response;
      try {
        response = relay(exchange, body, upstreams.get(target));
      } catch (IOException e) {
        // What a load balancer answers when its backend is not running.
        unreachable.incrementAndGet();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      relayed.incrementAndGet();
      perHelper[target].incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      if ((m == Mode.HOLD_AGGREGATION_JOBS && path.contains("/aggregation_jobs/"))
          || (m == Mode.HOLD_AGGREGATE_SHARES && path.endsWith("/aggregate_shares"))) {
        CountDownLatch gate = release.get();
        held.incrementAndGet();
        // The Helper has answered (and so committed); the Leader waits until the test opens the gate.
        if (!gate.await(5, TimeUnit.MINUTES)) {
          return;
        }
      }
      for (String h : RESPONSE_HEADERS) {
        response.headers().firstValue(h).ifPresent(v -> exchange.getResponseHeaders().add(h, v));
      }
      byte[] out = response.body();
      exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The caller went away (e.g. a killed driver); there is nobody left to answer.
    }
  }

  private HttpResponse<byte[]> relay(HttpExchange exchange, byte[] body, URI helper)
      throws IOException, InterruptedException {
    String base = helper.toString();
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path
        + (query == null ? "" : "?" + query));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String h : REQUEST_HEADERS) {
      String v = exchange.getRequestHeaders().getFirst(h);
      if (v != null) {
        request.header(h, v);
      }
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Opens the gate (releasing held answers) and stops listening. */
  @Override
  public void close() {
    mode(Mode.OPEN);
    server.stop(0);
  }
}
