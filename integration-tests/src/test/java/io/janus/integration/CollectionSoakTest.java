package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.Client;
import io.janus.client.DapHttpException;
import io.janus.client.TestRandom;
import io.janus.collector.CollectionJob;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.Clock;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collection under continuous load: clients upload without pause, with timestamps spread over the run so far (many
 * into intervals that are being or have been collected, as clients that were offline or retrying send them), while a
 * collector collects every interval as soon as it closes. Two instances of every binary run (aggregators, creators,
 * both drivers). Every collection must finish (never {@code batchMismatch}), and every report the Leader
 * acknowledged must be counted in exactly one collection or as dropped late ({@code batch_collected} in the task's
 * aggregation counters).
 *
 * <p>CI runs it for 20 seconds; for a long soak run, for example an hour:
 * {@code ./mvnw -B verify -pl integration-tests -am -Dtest=CollectionSoakTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Djanus.soak.seconds=3600}.
 */
class CollectionSoakTest {
  private static final DapDuration PRECISION = DapDuration.ofSeconds(5);
  private static final String TASK = Deployment.OF_TASK;
  /** How long after an interval ends the collector asks for it: clients on time have uploaded by then. */
  private static final long COLLECT_AFTER_MS = 1_500;
  /** The share of uploads stamped with an earlier time of the run rather than now. */
  private static final double LATE_SHARE = 0.3;
  private static final int UPLOADERS = 3;

  @TempDir
  static Path directory;

  @Test
  void everyAcknowledgedReportIsCollectedOnceOrCountedAsDroppedLate() throws Exception {
    long seconds = Long.getLong("janus.soak.seconds", 20);
    long seed = TestRandom.seed("CollectionSoakTest");
    try (Deployment d = Deployment.start(directory, Deployment.Layout.single().times(2).withLeases(5, 0, 1_000),
        TestRandom.secureRandom(seed))) {
      Deployment.ProvisionedTask task = d.provision(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(),
          PRECISION, Optional.empty(), 1);
      TaskId id = task.id();
      long start = System.currentTimeMillis();
      long firstInterval = Math.floorDiv(start / 1000, PRECISION.seconds()) * PRECISION.seconds();
      long uploadUntil = start + seconds * 1000;

      AtomicLong acknowledged = new AtomicLong();
      AtomicLong rejected = new AtomicLong();
      ExecutorService threads = Executors.newFixedThreadPool(UPLOADERS + 1);
      List<Future<?>> uploaders = new ArrayList<>();
      for (int u = 0; u < UPLOADERS; u++) {
        Random random = new Random(seed + u);
        Client client = d.client(task, u % 2, Clock.SYSTEM);
        uploaders.add(threads.submit(() -> {
          while (System.currentTimeMillis() < uploadUntil) {
            long now = System.currentTimeMillis() / 1000;
            long stamp = random.nextDouble() < LATE_SHARE
                ? firstInterval + random.nextLong(Math.max(1, now - firstInterval + 1)) : now;
            try {
              client.uploadWithTime(new long[] {1}, new Time(Math.max(firstInterval, stamp)));
              acknowledged.incrementAndGet();
            } catch (DapHttpException e) {
              assertThat(e.dapProblemType()).as("only a report for a batch being collected may be refused")
                  .hasValue(DapProblemType.REPORT_REJECTED);
              rejected.incrementAndGet();
            }
          }
          return null;
        }));
      }

      // The collector: every interval of the run, each as soon as it has closed, one after the other.
      Future<long[]> collector = threads.submit(() -> {
        long collected = 0;
        long intervals = 0;
        for (long t = firstInterval; t * 1000 < uploadUntil; t += PRECISION.seconds()) {
          long due = (t + PRECISION.seconds()) * 1000 + COLLECT_AFTER_MS;
          long wait = due - System.currentTimeMillis();
          if (wait > 0) {
            Thread.sleep(wait);
          }
          CollectionResult r = collect(d, task, new Interval(new Time(t), PRECISION), intervals % 2);
          assertThat(r.aggregateResult()).as("each report counts 1").containsExactly(r.reportCount());
          collected += r.reportCount();
          intervals++;
        }
        return new long[] {collected, intervals};
      });
      for (Future<?> f : uploaders) {
        f.get();
      }
      long[] result = collector.get();
      threads.shutdown();

      // Reports acknowledged after their interval froze are dropped by the creator's next round.
      Deployment.await("every acknowledged report was taken up", Duration.ofSeconds(60),
          () -> Deployment.count(d.leaderDb(), id, "SELECT count(*) FROM client_reports WHERE " + TASK
              + " AND NOT aggregation_started") == 0
              && Deployment.count(d.leaderDb(), id, "SELECT count(*) FROM aggregation_jobs WHERE " + TASK
              + " AND state = 'IN_PROGRESS'") == 0);
      long droppedLate = Deployment.count(d.leaderDb(), id,
          "SELECT coalesce(sum(batch_collected), 0) FROM task_aggregation_counters WHERE " + TASK);
      System.out.printf("CollectionSoakTest: %d s, %d intervals collected, %d reports acknowledged, %d collected,"
          + " %d dropped late, %d rejected at upload%n", seconds, result[1], acknowledged.get(), result[0],
          droppedLate, rejected.get());
      assertThat(result[0] + droppedLate).as("collected + dropped late = acknowledged")
          .isEqualTo(acknowledged.get());
      assertThat(Deployment.count(d.leaderDb(), id, "SELECT count(*) FROM collection_jobs WHERE " + TASK
          + " AND state <> 'FINISHED'")).as("collection jobs not finished").isZero();
      assertThat(rejected.get()).as("late uploads into collected intervals happened").isPositive();
    }
  }

  private static CollectionResult collect(Deployment d, Deployment.ProvisionedTask task, Interval interval,
      long leaderIndex) {
    Collector collector = d.collector(task, (int) leaderIndex);
    CollectionJob job = new CollectionJob(CollectionJobId.random(new java.security.SecureRandom()),
        new Query.TimeInterval(interval), new byte[0]);
    collector.startCollection(job);
    return collector.pollUntilComplete(job);
  }
}
