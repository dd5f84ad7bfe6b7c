package io.janus.garbagecollector;

import io.janus.core.Clock;
import io.janus.server.binary.Stopper;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Tx;
import io.janus.core.task.Task;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes what has outlived its task's {@code report_expiry_age}: client reports, aggregation jobs (with their report
 * aggregations), batch aggregations, collection jobs, aggregate share jobs (time-interval ones by their batch
 * interval, fixed-size ones by their batch's client timestamp interval) and the Leader's outstanding fixed-size
 * batches, whose time lies before {@code now - report_expiry_age}. Tasks without a report expiry age are never
 * collected.
 *
 * <p>Each run deletes at most the configured limit of each kind per task, in transactions of
 * {@code tasks_per_tx} tasks, so a backlog is worked off over several runs without long transactions. Any number
 * of collectors may run at once: deletes of the same rows simply find them gone. Thread-safe.
 */
public final class GarbageCollector {
  private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());

  /**
   * What one run deleted, summed over tasks.
   *
   * @param clientReports client reports deleted
   * @param aggregationJobs aggregation jobs deleted (their report aggregations go with them)
   * @param batchAggregations batch aggregation shards deleted
   * @param collectionJobs collection jobs deleted
   * @param aggregateShareJobs aggregate share jobs deleted
   * @param outstandingBatches outstanding fixed-size batches deleted
   */
  public record Deleted(long clientReports, long aggregationJobs, long batchAggregations, long collectionJobs,
      long aggregateShareJobs, long outstandingBatches) {
    /** Nothing deleted. */
    public static final Deleted NONE = new Deleted(0, 0, 0, 0, 0, 0);

    /** Counts without outstanding batches. */
    public Deleted(long clientReports, long aggregationJobs, long batchAggregations, long collectionJobs,
        long aggregateShareJobs) {
      this(clientReports, aggregationJobs, batchAggregations, collectionJobs, aggregateShareJobs, 0);
    }

    /** The sum of both. */
    public Deleted plus(Deleted o) {
      return new Deleted(clientReports + o.clientReports, aggregationJobs + o.aggregationJobs,
          batchAggregations + o.batchAggregations, collectionJobs + o.collectionJobs,
          aggregateShareJobs + o.aggregateShareJobs, outstandingBatches + o.outstandingBatches);
    }
  }

  private final Datastore datastore;
  private final Clock clock;
  private final GarbageCollectorConfig.GarbageCollection config;
  private final Counter deletedReports;
  private final Counter deletedAggregationJobs;
  private final Counter deletedCollectionArtifacts;

  /**
   * Creates a garbage collector.
   *
   * @param datastore the database
   * @param clock the time that expiry is measured against
   * @param config limits and frequency
   * @param meters where {@code janus_gc_deleted{kind}} goes
   */
  public GarbageCollector(Datastore datastore, Clock clock, GarbageCollectorConfig.GarbageCollection config,
      MeterRegistry meters) {
    this.datastore = datastore;
    this.clock = clock;
    this.config = config;
    this.deletedReports = deletedCounter(meters, "client_reports");
    this.deletedAggregationJobs = deletedCounter(meters, "aggregation_jobs");
    this.deletedCollectionArtifacts = deletedCounter(meters, "collection_artifacts");
  }

  private static Counter deletedCounter(MeterRegistry meters, String kind) {
    return Counter.builder("janus_gc_deleted").description("Rows deleted by garbage collection")
        .tag("kind", kind).register(meters);
  }

  /** Runs every {@code gc_frequency_s} until {@code stopper} trips; a failed run is logged and the next one tried. */
  public void run(Stopper stopper) throws InterruptedException {
    do {
      try {
        Deleted d = runOnce();
        LOG.fine(() -> "garbage collection deleted " + d);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "garbage collection run failed", e);
      }
    } while (!stopper.awaitStop(Duration.ofSeconds(config.gcFrequencyS())));
  }

  /**
   * Runs one garbage collection over every task that has a report expiry age.
   *
   * @return what was deleted
   * @throws InterruptedException if interrupted while waiting for concurrent transactions
   */
  public Deleted runOnce() throws InterruptedException {
    List<TaskId> tasks = datastore.run("gc_list_tasks", tx -> {
      List<TaskId> ids = new ArrayList<>();
      for (Task t : tx.tasks().getAll()) {
        if (t.reportExpiryAge().isPresent()) {
          ids.add(t.id());
        }
      }
      return ids;
    });
    List<List<TaskId>> groups = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i += config.tasksPerTx()) {
      groups.add(tasks.subList(i, Math.min(tasks.size(), i + config.tasksPerTx())));
    }
    Deleted total = Deleted.NONE;
    if (config.concurrentTxLimit().isEmpty()) {
      for (List<TaskId> g : groups) {
        total = total.plus(collectGroup(g));
      }
    } else {
      Semaphore limit = new Semaphore(config.concurrentTxLimit().getAsInt());
      List<Future<Deleted>> futures = new ArrayList<>();
      try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (List<TaskId> g : groups) {
          futures.add(executor.submit(() -> {
            limit.acquire();
            try {
              return collectGroup(g);
            } finally {
              limit.release();
            }
          }));
        }
        for (Future<Deleted> f : futures) {
          try {
            total = total.plus(f.get());
          } catch (ExecutionException e) {
            // One group's failure must not hide the others' work; the next run retries it.
            LOG.log(Level.WARNING, "garbage collection of a task group failed", e.getCause());
          }
        }
      }
    }
    deletedReports.increment(total.clientReports());
    deletedAggregationJobs.increment(total.aggregationJobs());
    deletedCollectionArtifacts.increment(total.batchAggregations() + total.collectionJobs()
        + total.aggregateShareJobs() + total.outstandingBatches());
    return total;
  }

  private Deleted collectGroup(List<TaskId> taskIds) {
    return datastore.run("gc_tasks", tx -> {
      Deleted d = Deleted.NONE;
      for (TaskId id : taskIds) {
        d = d.plus(collectTask(tx, id));
      }
      return d;
    });
  }

  /** Deletes one task's expired rows; the task is re-read so a deleted or changed task is handled. */
  private Deleted collectTask(Tx tx, TaskId taskId) {
    return tx.tasks().get(taskId).flatMap(t -> t.reportExpiryThreshold(clock.now()))
        .map(threshold -> collect(tx, taskId, threshold)).orElse(Deleted.NONE);
  }

  private Deleted collect(Tx tx, TaskId taskId, Time threshold) {
    long reports = tx.clientReports().deleteExpired(taskId, threshold, config.reportLimit());
    // Outstanding batches and fixed-size aggregate share jobs are judged by the aggregation jobs and batch
    // aggregations of their batch, so they go first; batch aggregations stay while such a job is left.
    long outstanding = tx.outstandingBatches().deleteExpired(taskId, threshold, config.collectionLimit());
    long aggregateShareJobs = tx.aggregateShareJobs().deleteExpired(taskId, threshold, config.collectionLimit());
    long collectionJobs = tx.collectionJobs().deleteExpired(taskId, threshold, config.collectionLimit());
    long aggregationJobs = tx.aggregationJobs().deleteExpired(taskId, threshold, config.aggregationLimit());
    long batchAggregations = tx.batchAggregations().deleteExpired(taskId, threshold, config.collectionLimit());
    return new Deleted(reports, aggregationJobs, batchAggregations, collectionJobs, aggregateShareJobs, outstanding);
  }
}
