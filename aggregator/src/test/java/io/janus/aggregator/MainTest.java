package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.binary.BinaryContext;
import io.janus.core.binary.BinaryHarness;
import io.janus.core.datastore.Crypter;
import io.janus.core.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary's body started through the real harness, configuration file and database. */
class MainTest {
  private static TestDatabase db;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() throws IOException {
    db.close();
    // The harness installed its own root log handler; give the JVM's default back to later test classes.
    LogManager.getLogManager().readConfiguration();
  }

  @Test
  void servesTheDapApiUntilStopped(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("aggregator.yaml");
    Files.writeString(config, """
        database:
          url: "%s"
          connection_pool_max_size: 2
        health_check_listen_address: "127.0.0.1:0"
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 10
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        """.formatted(db.jdbcUrl()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<BinaryContext<AggregatorConfig>> started = new CompletableFuture<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
        BinaryHarness.builder(Main.NAME, AggregatorConfig.class)
            .environment(Map.of("DATASTORE_KEYS", Crypter.generateKey(new SecureRandom())))
            .streams(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8))
            .installShutdownHook(false)
            .run(new String[] {"--config-file", config.toString()}, ctx -> {
              started.complete(ctx);
              Main.serve(ctx, server -> port.complete(server.port()));
            }));
    BinaryContext<AggregatorConfig> ctx = started.get();

    // Without keys or a task the API answers with a DAP problem: the routing and error mapping are live.
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get() + "/hpke_config")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("urn:ietf:params:ppm:dap:error:missingTaskID");

    ctx.stopper().stop();
    assertThat(exit.get()).as(out.toString(StandardCharsets.UTF_8)).isZero();
  }
}
