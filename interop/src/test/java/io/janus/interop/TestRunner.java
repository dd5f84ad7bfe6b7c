package io.janus.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The test runner's side of the test API: POSTs JSON to a participant's {@code /internal/test/<name>}. */
final class TestRunner {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** A response: HTTP status and body. */
  record Response(int status, JsonNode body) {}

  /** POSTs {@code body} (raw text) to {@code http://localhost:<port><path>}. */
  Response postRaw(int port, String path, String body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    try {
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      JsonNode json = res.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(res.body());
      return new Response(res.statusCode(), json);
    } catch (IOException e) {
      throw new AssertionError("POST " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** POSTs a command and checks that the test API answered 200 (whatever the DAP outcome). */
  JsonNode command(int port, String name, ObjectNode body) {
    Response r = postRaw(port, TestApi.PREFIX + name, body.toString());
    assertThat(r.status()).as("HTTP status of %s: %s", name, r.body()).isEqualTo(200);
    return r.body();
  }

  /** POSTs a command and checks that it succeeded. */
  JsonNode success(int port, String name, ObjectNode body) {
    JsonNode r = command(port, name, body);
    assertThat(r.path("status").asText()).as("%s answered %s", name, r).isEqualTo(TestApi.SUCCESS);
    return r;
  }

  /** POSTs a command and checks that it failed with an error mentioning {@code message}. */
  JsonNode error(int port, String name, String body, String message) {
    Response r = postRaw(port, TestApi.PREFIX + name, body);
    assertThat(r.status()).as("HTTP status of %s: %s", name, r.body()).isEqualTo(200);
    assertThat(r.body().path("status").asText()).as("%s answered %s", name, r.body()).isEqualTo(TestApi.ERROR);
    assertThat(r.body().path("error").asText()).contains(message);
    return r.body();
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
