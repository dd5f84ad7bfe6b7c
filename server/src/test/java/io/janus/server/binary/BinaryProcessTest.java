package io.janus.server.binary;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.Crypter;
import io.janus.server.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link HarnessTestBinary} as a real process: start-up from a YAML file against PostgreSQL, health over
 * HTTP, a real SIGTERM, and the single stderr line of a failed start.
 */
class BinaryProcessTest {
  private static TestDatabase db;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  private static Process launch(Path config, Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // As the images' launcher and ./quickstart run binaries: on Java 22+ HPKE's OpenSSL binding would make the
    // JVM warn on stderr without it.
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"),
        HarnessTestBinary.class.getName(), "--config-file", config.toString());
    pb.environment().remove("CONFIG_FILE");
    pb.environment().remove("DATASTORE_KEYS");
    pb.environment().remove("PGPASSWORD");
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void startsServesHealthAndDrainsOnSigterm(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("binary.yaml");
    Files.writeString(config, """
        database:
          url: "%s"
          connection_pool_max_size: 2
        health_check_listen_address: 127.0.0.1:0
        """.formatted(db.jdbcUrl()));
    Process p = launch(config, Map.of("DATASTORE_KEYS", Crypter.generateKey(new SecureRandom())));
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int port = -1;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("READY ")) {
          port = Integer.parseInt(line.replaceAll(".*health_port=(\\d+).*", "$1"));
          assertThat(line).endsWith("hpke_keys=0");
          break;
        }
      }
      assertThat(port).as("stdout so far: %s", lines).isPositive();
      // Standard output is a pipe, not a terminal, so logs are JSON lines.
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"timestamp\":").contains("starting "
          + "harness_test_binary"));

      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe.
      assertThat(p.toHandle().destroy()).isTrue();
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    }
    int exit = p.waitFor();
    assertThat(lines).contains("DRAINED");
    // 128 + SIGTERM: the JVM exits through its shutdown hooks after the binary drained.
    assertThat(exit).isEqualTo(143);
    assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void unreachableDatabaseIsExactlyOneStderrLine(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("binary.yaml");
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Files.writeString(config, """
        database:
          url: "postgres://janus:hunter2@127.0.0.1:%d/janus"
          connection_pool_timeouts_s: 2
        health_check_listen_address: 127.0.0.1:0
        """.formatted(closedPort));
    Process p = launch(config, Map.of("DATASTORE_KEYS", Crypter.generateKey(new SecureRandom())));
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isEqualTo(1);
    assertThat(stderr.lines().toList()).singleElement().asString()
        .startsWith("harness_test_binary: cannot connect to the database at postgres://janus:REDACTED@127.0.0.1:"
            + closedPort + "/janus: ")
        .contains("refused");
    assertThat(stdout + stderr).doesNotContain("hunter2");
  }
}
