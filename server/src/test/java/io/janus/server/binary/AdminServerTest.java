package io.janus.server.binary;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.config.ListenAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  @Test
  void healthIs503UntilReady() throws Exception {
    AtomicBoolean ready = new AtomicBoolean();
    HttpClient http = HttpClient.newHttpClient();
    try (AdminServer server = AdminServer.start(new ListenAddress("127.0.0.1", 0), ready, true, Optional.empty())) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/healthz");
      assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(503);
      HttpRequest head = HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
      assertThat(http.send(head, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      assertThat(http.send(head, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }
  }
}
