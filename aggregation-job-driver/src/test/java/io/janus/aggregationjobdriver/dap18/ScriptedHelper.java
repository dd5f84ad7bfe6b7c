package io.janus.aggregationjobdriver.dap18;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A DAP-18 Helper reduced to a script, on an ephemeral port over real HTTP: each request is recorded and answered by
 * the next scripted {@link Reply} function (the last one keeps answering once the others are used up). Tests assert
 * what the Leader sent and script what draft 18 lets a Helper answer: synchronous bodies, deferred (empty) answers
 * with {@code Location} and {@code Retry-After}, problem documents, transient 5xx.
 */
final class ScriptedHelper implements AutoCloseable {
  /** One request as the Helper received it. */
  record Request(String method, String path, Optional<String> query, Optional<String> contentType,
      Optional<String> authorization, byte[] body) {}

  /** One answer: status, headers, body (empty for a deferred answer). */
  record Reply(int status, Map<String, String> headers, byte[] body) {
    static Reply body(int status, byte[] body, String... headers) {
      return new Reply(status, headers(headers), body);
    }

    static Reply deferred(int status, String... headers) {
      return new Reply(status, headers(headers), new byte[0]);
    }

    static Reply problem(int status, String type) {
      return new Reply(status, Map.of("Content-Type", "application/problem+json"),
          ("{\"type\":\"" + type + "\",\"title\":\"scripted\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> headers(String... nameValue) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < nameValue.length; i += 2) {
        m.put(nameValue[i], nameValue[i + 1]);
      }
      return m;
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Function<Request, Reply>> script = new ArrayDeque<>();
  private final WebServer server;

  ScriptedHelper() {
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.any(this::handle)).build().start();
  }

  /** The Helper's API URL, with a path prefix so the Leader must keep it. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port() + "/helper/");
  }

  /** Replaces the script: each function answers one request, the last answers the rest. */
  @SafeVarargs
  final synchronized void script(Function<Request, Reply>... replies) {
    script.clear();
    script.addAll(List.of(replies));
    requests.clear();
  }

  private synchronized Function<Request, Reply> next() {
    return script.size() > 1 ? script.removeFirst() : script.getFirst();
  }

  private void handle(ServerRequest req, ServerResponse res) {
    byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
    String raw = req.query().rawValue();
    Request r = new Request(req.prologue().method().text(), req.path().rawPath(),
        raw == null || raw.isEmpty() ? Optional.empty() : Optional.of(raw),
        req.headers().first(HeaderNames.CONTENT_TYPE), req.headers().first(HeaderNames.AUTHORIZATION), body);
    requests.add(r);
    Reply reply = next().apply(r);
    res.status(Status.create(reply.status()));
    reply.headers().forEach((k, v) -> res.header(HeaderNames.create(k), v));
    res.send(reply.body());
  }

  @Override
  public void close() {
    server.stop();
  }
}
