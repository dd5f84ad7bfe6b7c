package io.janus.server.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.Clock;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigLoader;
import io.janus.server.datastore.Crypter;
import io.janus.server.testing.HarnessRun;
import io.janus.server.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessRunnerTest {
  private static TestDatabase db;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final AtomicInteger reads = new AtomicInteger();

  /** A binary that reads the datastore once, serves "port" 4242 and waits for its stopper. */
  private final BinaryDefinition<CommonConfig> binary = new BinaryDefinition<>("runner_test_binary",
      CommonConfig.class, (config, services) -> RunningBinary.start("runner_test_binary", services.stopper(),
          started -> {
            services.datastore().run("runner_test_read", tx -> tx.hpkeKeys().getAll());
            reads.incrementAndGet();
            started.accept(new RunningBinary.Started(services.meters(), OptionalInt.of(4242), OptionalInt.empty()));
            services.stopper().awaitStop();
          }));

  @BeforeAll
  static void database() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() throws IOException {
    db.close();
    HarnessRun.restoreLogging();
  }

  @Test
  void startsFromAFileThroughTheHarnessAndStopsEverythingOnClose(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("config.yaml"), "database:\n  url: \"" + db.jdbcUrl()
        + "\"\n  connection_pool_max_size: 2\nhealth_check_listen_address: 127.0.0.1:0\n");
    RunningBinary fromFile;
    RunningBinary direct;
    try (InProcessRunner runner = new InProcessRunner(new PrintStream(log, true, StandardCharsets.UTF_8))) {
      fromFile = runner.start("from file", binary, config, Crypter.generateKey(new SecureRandom()), Clock.SYSTEM);
      direct = runner.start(binary, ConfigLoader.load(config, CommonConfig.class), BinaryServices.of(db.clock(), db.datastore(), db.meterRegistry()));

      assertThat(fromFile.name()).isEqualTo("from file");
      assertThat(fromFile.port()).hasValue(4242);
      assertThat(fromFile.healthCheckPort()).isPresent();
      assertThat(direct.healthCheckPort()).isEmpty();
      assertThat(runner.binaries()).containsExactly(fromFile, direct);
      assertThat(reads).hasValue(2);
    }
    assertThat(List.of(fromFile.isRunning(), direct.isRunning())).containsOnly(false);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("runner_test_binary stopped");
  }

  @Test
  void aHarnessStartFailureCarriesTheOneLineReason(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("config.yaml"), "database:\n  url: \"" + db.jdbcUrl()
        + "\"\nhealth_check_listen_address: 127.0.0.1:0\nno_such_key: 1\n");
    try (InProcessRunner runner = new InProcessRunner(new PrintStream(log, true, StandardCharsets.UTF_8))) {
      assertThatThrownBy(() -> runner.start("bad config", binary, config, Crypter.generateKey(new SecureRandom()),
          Clock.SYSTEM))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("bad config failed to start")
          .hasMessageContaining("no_such_key");
      assertThat(runner.binaries()).isEmpty();
    }
  }
}
