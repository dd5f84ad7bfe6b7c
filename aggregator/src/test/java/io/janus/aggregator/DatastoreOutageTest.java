package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.webserver.WebServer;
import io.janus.core.Clock;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Report;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the database unreachable (a real connection pool pointed at a port where no PostgreSQL listens), every
 * endpoint answers 503 with {@code Retry-After} and a problem document, never a bare 500: nothing about the
 * request was wrong, and the client should retry.
 */
class DatastoreOutageTest {
  private static HikariDataSource pool;
  private static Aggregator aggregator;
  private static WebServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:postgresql://127.0.0.1:9/janus");
    // Start without a database, as a binary whose database went away after start-up.
    c.setInitializationFailTimeout(-1);
    c.setConnectionTimeout(250);
    pool = new HikariDataSource(c);
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    Datastore datastore = new Datastore(pool, new Crypter(List.of(key)), Clock.SYSTEM, 3, new SimpleMeterRegistry());
    aggregator = new Aggregator(datastore, Clock.SYSTEM, io.janus.core.vdaf.TaskVdafs.PRODUCTION,
        new Aggregator.Settings(10, 5, 4, 4, 600_000, 1000, 1_800_000));
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> AggregatorServer.routing(r, aggregator, new SimpleMeterRegistry())).build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
    aggregator.close();
    pool.close();
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void everyEndpointAnswers503WithRetryAfter() throws Exception {
    TaskId task = new TaskId(new byte[32]);
    List<HttpResponse<byte[]>> answers = List.of(
        send(HttpRequest.newBuilder(uri(Dap09.ROUTE_HPKE_CONFIG + "?" + Dap09.QUERY_TASK_ID + "="
            + task.toBase64Url())).GET()),
        send(HttpRequest.newBuilder(uri(Dap09.reportsPath(task))).header("Content-Type", Report.MEDIA_TYPE)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))),
        send(HttpRequest.newBuilder(uri(Dap09.aggregateSharesPath(task)))
            .header("Content-Type", Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ)
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1}))));
    for (HttpResponse<byte[]> r : answers) {
      assertThat(r.statusCode()).as(r.request().uri().toString()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(r.headers().firstValue("Content-Type")).hasValue(ProblemDocuments.MEDIA_TYPE);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"status\":503")
          .contains("temporarily unavailable");
    }
  }
}
