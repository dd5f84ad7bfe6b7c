package io.janus.quickstart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.aggregator.Main;
import io.janus.core.Clock;
import io.janus.server.binary.InProcessRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary of the deployment that cannot start surfaces with the harness's one-line reason instead of a hang or a
 * silent thread death.
 */
class StartFailureTest {
  private final InProcessRunner runner =
      new InProcessRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

  @AfterEach
  void stop() {
    runner.close();
  }

  @Test
  void anUnknownConfigurationKeyFailsTheStartWithTheKeyNamed(@TempDir Path dir) {
    Path config = ConfigFiles.write(dir.resolve("aggregator.yaml"),
        ConfigFiles.aggregator("postgres://postgres@127.0.0.1:1/none", 0, 0) + "no_such_key: 1\n");

    assertThatThrownBy(() -> runner.start("test aggregator", Main.BINARY, config, "AAAAAAAAAAAAAAAAAAAAAA",
            Clock.SYSTEM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test aggregator failed to start")
        .hasMessageContaining("no_such_key");
  }

  @Test
  void anUnreachableDatabaseFailsTheStart(@TempDir Path dir) {
    // Port 1 on loopback refuses connections, so the harness gives up at once.
    Path config = ConfigFiles.write(dir.resolve("aggregator.yaml"),
        ConfigFiles.aggregator("postgres://postgres@127.0.0.1:1/none", 0, 0).replace(
            "connection_pool_timeouts_s: 30", "connection_pool_timeouts_s: 1"));

    assertThatThrownBy(() -> runner.start("test aggregator", Main.BINARY, config, "AAAAAAAAAAAAAAAAAAAAAA",
            Clock.SYSTEM))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test aggregator failed to start")
        .hasMessageContaining("database");
  }
}
