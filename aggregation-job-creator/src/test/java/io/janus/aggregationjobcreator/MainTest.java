package io.janus.aggregationjobcreator;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.core.task.Task;
import io.janus.server.testing.Fixtures;
import io.janus.server.testing.HarnessRun;
import io.janus.server.testing.TestDatabase;
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
      Task task = fx.leaderTask().build();
      datastore.run("setup", tx -> {
        tx.tasks().put(task);
        tx.clientReports().putAll(List.of(fx.report(task.id(), new Time(now.seconds() - 7_200)),
            fx.report(task.id(), new Time(now.seconds() - 7_100))));
        return null;
      });
      HarnessRun.Result r = HarnessRun.stoppedBeforeStart(db, keys, dir, Main.NAME, AggregationJobCreatorConfig.class,
          "batch_aggregation_shard_count: 2\nmin_aggregation_job_size: 1\n", Main.BINARY::run);
      assertThat(r.exitCode()).as(r.err()).isZero();
      List<io.janus.server.datastore.model.AggregationJob> jobs = datastore.run("check",
          tx -> tx.aggregationJobs().listForTask(task.id()));
      assertThat(jobs).hasSize(1);
    }
  }
}
