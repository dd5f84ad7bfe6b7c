package io.janus.quickstart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.aggregator.AggregatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures surface with the harness's one-line reason instead of a hang or a silent thread death. */
class InProcessBinaryTest {
  private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @Test
  void anUnknownConfigurationKeyFailsTheStartWithTheKeyNamed(@TempDir Path dir) {
    Path config = ConfigFiles.write(dir.resolve("aggregator.yaml"),
        ConfigFiles.aggregator("postgres://postgres@127.0.0.1:1/none", 0, 0) + "no_such_key: 1\n");

    assertThatThrownBy(() -> InProcessBinary.start("test aggregator", "aggregator", AggregatorConfig.class,
            (ctx, ready) -> ready.run(), config, "AAAAAAAAAAAAAAAAAAAAAA", log, Duration.ofSeconds(30)))
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

    assertThatThrownBy(() -> InProcessBinary.start("test aggregator", "aggregator", AggregatorConfig.class,
            (ctx, ready) -> ready.run(), config, "AAAAAAAAAAAAAAAAAAAAAA", log, Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test aggregator failed to start")
        .hasMessageContaining("database");
  }
}
