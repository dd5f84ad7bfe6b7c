package io.janus.collectionjobdriver;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.binary.BinaryHarness;
import io.janus.core.datastore.Crypter;
import io.janus.core.datastore.Datastore;
import io.janus.core.task.Task;
import io.janus.core.testing.Fixtures;
import io.janus.core.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary's body run through the production harness, against real PostgreSQL, with its YAML configuration. */
class MainTest {
  @TempDir
  Path dir;

  @AfterAll
  static void restoreLogging() throws IOException {
    // The harness replaced the root log handler with one writing to a test buffer; restore the JDK default.
    LogManager.getLogManager().readConfiguration();
  }

  @Test
  void theBodyRunsThroughTheHarnessAndStopsWhenAsked() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      String keys = Crypter.generateKey(new SecureRandom());
      Datastore datastore = new Datastore(db.dataSource(), Crypter.fromDatastoreKeys(keys), db.clock(), 10,
          new SimpleMeterRegistry());
      Fixtures fx = new Fixtures();
      Task task = fx.leaderTask().build();
      datastore.run("setup", tx -> tx.tasks().put(task));
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, "database:\n  url: \"" + db.jdbcUrl() + "\"\n  connection_pool_max_size: 2\n"
          + "health_check_listen_address: 127.0.0.1:0\n"
          + "batch_aggregation_shard_count: 2\njob_discovery_interval_s: 1\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = BinaryHarness.builder(Main.NAME, CollectionJobDriverConfig.class)
          .environment(Map.of("DATASTORE_KEYS", keys, "CONFIG_FILE", config.toString()))
          .clock(db.clock())
          .installShutdownHook(false)
          .streams(new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8))
          // Stopped before it starts: a polling body does at most one round, then returns.
          .run(new String[0], ctx -> {
            ctx.stopper().stop();
            Main.run(ctx);
          });
      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains(Main.NAME + " stopped");
    }
  }
}
