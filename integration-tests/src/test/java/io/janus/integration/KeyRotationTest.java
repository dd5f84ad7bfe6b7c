package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.Client;
import io.janus.client.TestRandom;
import io.janus.collector.CollectionResult;
import io.janus.core.Clock;
import io.janus.core.MockClock;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.datastore.Datastore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HPKE key rotation under load: two key rotators per aggregator (taking turns on the keys table) rotate the global
 * keys through pending, active, expired and deleted while a client uploads steadily to a task that has no keys of
 * its own. The client re-reads the advertised configurations every second, as a client with a short cache would;
 * the aggregators re-read their keys every 500 ms. Every upload must succeed and every report must be aggregated and
 * collected: the policy's pending time covers the aggregators' refresh, and its expired time the client's cache plus
 * the aggregation lag.
 */
class KeyRotationTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(3600);
  private static final Duration MAX_RUN = Duration.ofSeconds(120);

  @TempDir
  Path directory;

  @Test
  void uploadsContinueThroughAWholeRotationCycleWithNoFailedReport() throws Exception {
    long seed = TestRandom.seed("KeyRotationTest");
    try (Deployment d = Deployment.start(directory, Deployment.Layout.single(), TestRandom.secureRandom(seed))) {
      for (Role role : List.of(Role.LEADER, Role.HELPER)) {
        d.startBinary(Binary.KEY_ROTATOR, role, Clock.SYSTEM);
        d.startBinary(Binary.KEY_ROTATOR, role, Clock.SYSTEM);
      }
      Deployment.await("both aggregators have an active global key", Duration.ofSeconds(60),
          () -> !active(d.leaderStore()).isEmpty() && !active(d.helperStore()).isEmpty());
      Set<Integer> firstLeaderKeys = active(d.leaderStore());
      Set<Integer> firstHelperKeys = active(d.helperStore());
      assertThat(firstLeaderKeys).as("one suite, one active key").hasSize(1);

      Deployment.ProvisionedTask task = d.provision(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(),
          PRECISION, Optional.empty(), 1, false);
      Time stamp = new Time(System.currentTimeMillis() / 1000 - PRECISION.seconds());
      Client client = d.client(task, 0, new MockClock(stamp));
      Set<Integer> leaderKeysSeen = new HashSet<>();
      long uploaded = 0;
      long start = System.nanoTime();
      long lastRefresh = 0;
      // Upload until the first keys of both aggregators have been deleted: a whole cycle on each side.
      while (!gone(d.leaderStore(), firstLeaderKeys) || !gone(d.helperStore(), firstHelperKeys)) {
        assertThat(System.nanoTime() - start).as("a whole rotation cycle within %s", MAX_RUN)
            .isLessThan(MAX_RUN.toNanos());
        if (System.nanoTime() - lastRefresh > Duration.ofSeconds(1).toNanos()) {
          client.refreshHpkeConfigs();
          lastRefresh = System.nanoTime();
        }
        leaderKeysSeen.addAll(active(d.leaderStore()));
        client.upload(1);
        uploaded++;
        Thread.sleep(50);
      }
      assertThat(leaderKeysSeen).as("the Leader's active key changed during the uploads").hasSizeGreaterThan(1);

      CollectionResult result = d.collect(task, new Query.TimeInterval(new Interval(stamp.truncateTo(PRECISION),
          PRECISION)), 0);
      assertThat(result.reportCount()).isEqualTo(uploaded);
      assertThat(result.aggregateResult()).containsExactly(uploaded);
      assertThat(Deployment.count(d.leaderDb(), task.id(), "SELECT count(*) FROM report_aggregations WHERE "
          + Deployment.OF_TASK + " AND state = 'FAILED'")).as("failed report aggregations").isZero();
    }
  }

  private static Set<Integer> active(Datastore db) {
    Set<Integer> ids = new HashSet<>();
    for (GlobalHpkeKeypair k : db.run("test_keys", tx -> tx.hpkeKeys().getAll())) {
      if (k.state() == HpkeKeyState.ACTIVE) {
        ids.add(k.keypair().config().id());
      }
    }
    return ids;
  }

  private static boolean gone(Datastore db, Set<Integer> ids) {
    for (GlobalHpkeKeypair k : db.run("test_keys", tx -> tx.hpkeKeys().getAll())) {
      if (ids.contains(k.keypair().config().id())) {
        return false;
      }
    }
    return true;
  }
}
