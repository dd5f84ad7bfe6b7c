package io.janus.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The plumbing every interop test endpoint shares (draft-dcook-ppm-dap-interop-test-design-07 section 4): a
 * {@code POST /internal/test/<name>} route whose JSON body is handed to a {@link Command}, and whose answer is
 * always HTTP 200 with a JSON object once the route matched. A command's result is sent with
 * {@code "status":"success"} unless it set its own status; a bad body or a failed command yields
 * {@code {"status":"error","error":"<why>"}}, and the server keeps serving. Any other path under
 * {@code /internal/test/} answers 404, as the draft recommends.
 */
public final class TestApi {
  /** The path prefix of every test endpoint. */
  public static final String PREFIX = "/internal/test/";
  /** The {@code status} of a successful command. */
  public static final String SUCCESS = "success";
  /** The {@code status} of a failed command. */
  public static final String ERROR = "error";

  private static final Logger LOG = Logger.getLogger(TestApi.class.getName());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestApi() {}

  /** One test endpoint's work: reads the request's fields and returns the response fields. */
  @FunctionalInterface
  public interface Command {
    /**
     * Runs the command.
     *
     * @param request the body, a JSON object
     * @return the response body; {@code status} defaults to {@code "success"}
     * @throws InteropRequestException if the request cannot be carried out; its message becomes the error
     * @throws InterruptedException if the thread was interrupted while waiting on a peer
     */
    ObjectNode run(JsonFields request) throws InterruptedException;
  }

  /** Registers {@code POST /internal/test/<name>} running {@code command}. */
  public static void command(HttpRules rules, String name, Command command) {
    rules.post(PREFIX + name, (req, res) -> handle(name, command, req, res));
  }

  /** Registers the 404 answer for every other path under {@code /internal/test/}; call after the commands. */
  public static void notFoundFallback(HttpRules rules) {
    rules.any(PREFIX + "*", (req, res) -> {
      res.status(Status.NOT_FOUND_404);
      send(res, error("no test endpoint " + req.prologue().method().text() + " " + req.path().path()));
    });
  }

  /** A fresh response body with {@code "status":"success"}. */
  public static ObjectNode success() {
    return JsonNodeFactory.instance.objectNode().put("status", SUCCESS);
  }

  /** A response body with {@code "status":"error"} and {@code message} as the error. */
  public static ObjectNode error(String message) {
    return JsonNodeFactory.instance.objectNode().put("status", ERROR).put("error", message);
  }

  /**
   * Parses a request body into the command's input; an empty body counts as {@code {}} (the readiness probe's
   * body).
   *
   * @throws InteropRequestException if the body is not a JSON object
   */
  static JsonFields parseBody(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return JsonFields.of(JsonNodeFactory.instance.objectNode());
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InteropRequestException("request body is not valid JSON: " + e.getOriginalMessage());
    }
    return JsonFields.of(node);
  }

  private static void handle(String name, Command command, ServerRequest req, ServerResponse res) {
    ObjectNode body;
    try {
      ObjectNode out = command.run(parseBody(req.content().as(byte[].class)));
      body = out.has("status") ? out : success().setAll(out);
    } catch (InteropRequestException e) {
      LOG.info(() -> name + ": " + e.getMessage());
      body = error(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      body = error("interrupted while running " + name);
    } catch (RuntimeException e) {
      // The runner logs the error text; the stack trace stays in this process's log.
      LOG.log(Level.WARNING, name + " failed", e);
      body = error(name + " failed: " + describe(e));
    }
    send(res, body);
  }

  /** The exception's message followed by each cause's that adds something, for an error body. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      // Wrappers often repeat their cause's message; say each thing once.
      if (sb.indexOf(m) < 0) {
        if (!sb.isEmpty()) {
          sb.append(": ");
        }
        sb.append(m);
      }
    }
    return sb.toString();
  }

  private static void send(ServerResponse res, ObjectNode body) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(body.toString().getBytes(StandardCharsets.UTF_8));
  }
}
