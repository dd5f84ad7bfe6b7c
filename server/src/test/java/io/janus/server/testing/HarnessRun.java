package io.janus.server.testing;

import io.janus.server.binary.BinaryHarness;
import io.janus.server.binary.BinaryMain;
import io.janus.server.config.BinaryConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.LogManager;

/**
 * Runs a binary's body once through the production {@link BinaryHarness}, from a YAML file, against a test
 * database: what each binary's {@code MainTest} needs.
 */
public final class HarnessRun {
  private HarnessRun() {}

  /** The harness's exit code and what it printed. */
  public record Result(int exitCode, String out, String err) {}

  /**
   * Writes {@code dir/config.yaml} (the test database's URL, a small pool and an ephemeral health port, then
   * {@code binaryYaml}) and runs {@code body} through the harness with the stopper already tripped, so a polling
   * body does at most one round and returns.
   */
  public static <C extends Record & BinaryConfig> Result stoppedBeforeStart(TestDatabase db, String datastoreKeys,
      Path dir, String binaryName, Class<C> configClass, String binaryYaml, BinaryMain<C> body) throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "database:\n  url: \"" + db.jdbcUrl() + "\"\n  connection_pool_max_size: 2\n"
        + "health_check_listen_address: 127.0.0.1:0\n" + binaryYaml);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = BinaryHarness.builder(binaryName, configClass)
        .environment(Map.of("DATASTORE_KEYS", datastoreKeys, "CONFIG_FILE", config.toString()))
        .clock(db.clock())
        .installShutdownHook(false)
        .streams(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(new String[0], ctx -> {
          ctx.stopper().stop();
          body.run(ctx);
        });
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Restores the JDK's default logging, which the harness replaced with a handler writing to a test buffer. */
  public static void restoreLogging() throws IOException {
    LogManager.getLogManager().readConfiguration();
  }
}
