package io.janus.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.HarnessRun;
import io.janus.server.testing.TestDatabase;
import io.janus.messages.DapDuration;
import io.janus.messages.Time;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary's body run through the production harness, against real PostgreSQL, with its YAML configuration. */
class MainTest {
  @TempDir
  Path dir;

  @AfterAll
  static void restoreLogging() throws IOException {
    HarnessRun.restoreLogging();
  }

  @Test
  void theBodyRunsThroughTheHarnessAndStopsWhenAsked() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      String keys = Crypter.generateKey(new SecureRandom());
      Datastore datastore = new Datastore(db.dataSource(), Crypter.fromDatastoreKeys(keys), db.clock(), 10,
          new SimpleMeterRegistry());
      Fixtures fx = new Fixtures();
      Time now = db.clock().now();
      Task task = fx.leaderTask().reportExpiryAge(DapDuration.ofSeconds(86_400)).build();
      var old = fx.report(task.id(), new Time(now.seconds() - 2 * 86_400));
      var fresh = fx.report(task.id(), new Time(now.seconds() - 3_600));
      datastore.run("setup", tx -> {
        tx.tasks().put(task);
        tx.clientReports().putAll(List.of(old, fresh));
        return null;
      });
      HarnessRun.Result r = HarnessRun.stoppedBeforeStart(db, keys, dir, Main.NAME, GarbageCollectorConfig.class,
          "garbage_collection: {gc_frequency_s: 3600}\n", Main.BINARY::run);
      assertThat(r.exitCode()).as(r.err()).isZero();
      datastore.run("check", tx -> {
        assertThat(tx.clientReports().exists(task.id(), old.reportId())).isFalse();
        assertThat(tx.clientReports().exists(task.id(), fresh.reportId())).isTrue();
        return null;
      });
    }
  }
}
