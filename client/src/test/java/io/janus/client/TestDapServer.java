package io.janus.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.janus.messages.DapProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A tiny HTTP server on the loopback interface that stands in for an aggregator in tests: it records every
 * request and answers from handlers registered per method and path (404 otherwise). Handlers run on virtual
 * threads, so concurrent requests really are concurrent. The endpoint has a path prefix, to check that clients
 * resolve DAP paths beneath it.
 */
public final class TestDapServer implements AutoCloseable {
  /** The path prefix under which the fake aggregator lives. */
  public static final String PREFIX = "/dap/";

  /**
   * One request as the server saw it.
   *
   * @param method the HTTP method
   * @param path the path below {@link #PREFIX}, with a leading slash
   * @param query the raw query, empty if none
   * @param headers header values by lower-case name
   * @param body the request body
   */
  public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
  }

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param headers response headers
   * @param body the body, empty for none
   */
  public record Reply(int status, Map<String, String> headers, byte[] body) {
    /** A 2xx-or-other answer with a typed body. */
    public static Reply of(int status, String contentType, byte[] body) {
      return new Reply(status, Map.of("Content-Type", contentType), body);
    }

    /** A bodiless answer. */
    public static Reply status(int status) {
      return new Reply(status, Map.of(), new byte[0]);
    }

    /** A problem document with a DAP problem type, as an aggregator sends it. */
    public static Reply problem(int status, DapProblemType type, String detail) {
      String json = "{\"type\":\"" + type.urn() + "\",\"title\":\"" + type.title() + "\",\"status\":" + status
          + ",\"detail\":\"" + detail + "\",\"taskid\":\"dGFzaw\"}";
      return of(status, "application/problem+json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** This reply with one more header. */
    public Reply withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, h, body);
    }
  }

  private record Route(String method, String path, Function<Request, Reply> handler) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Route> routes = new CopyOnWriteArrayList<>();

  private TestDapServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::exchange);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a server on an ephemeral loopback port. */
  public static TestDapServer start() {
    return new TestDapServer();
  }

  /** The endpoint to give a client: {@code http://127.0.0.1:port/dap} (without the trailing slash on purpose). */
  public URI endpoint() {
    return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort()
        + PREFIX.substring(0, PREFIX.length() - 1));
  }

  /**
   * Answers requests with {@code method} whose path (below the prefix) equals {@code path}, or starts with it when
   * it ends with {@code *}. Later registrations win.
   */
  public TestDapServer handle(String method, String path, Function<Request, Reply> handler) {
    routes.add(0, new Route(method, path, handler));
    return this;
  }

  /** Every request so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests so far with {@code method} whose path starts with {@code pathPrefix}. */
  public List<Request> requests(String method, String pathPrefix) {
    List<Request> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals(method) && r.path().startsWith(pathPrefix)) {
        out.add(r);
      }
    }
    return out;
  }

  private void exchange(HttpExchange ex) throws IOException {
    try (ex) {
      String rawPath = ex.getRequestURI().getRawPath();
      String path = rawPath.startsWith(PREFIX) ? rawPath.substring(PREFIX.length() - 1) : "!" + rawPath;
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
      Request request = new Request(ex.getRequestMethod(), path, query, headers, body);
      requests.add(request);
      Reply reply = route(request);
      reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      if (reply.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(reply.body());
        }
      }
    }
  }

  private Reply route(Request request) {
    for (Route r : routes) {
      boolean pathMatches = r.path().endsWith("*")
          ? request.path().startsWith(r.path().substring(0, r.path().length() - 1))
          : request.path().equals(r.path());
      if (r.method().equals(request.method()) && pathMatches) {
        try {
          return r.handler().apply(request);
        } catch (RuntimeException | AssertionError e) {
          // A failing check inside a handler becomes a 418 (never retried) carrying the reason in its body.
          return Reply.of(418, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return Reply.of(404, "text/plain", "no route".getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
