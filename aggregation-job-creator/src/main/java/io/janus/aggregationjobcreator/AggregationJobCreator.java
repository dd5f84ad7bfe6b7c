package io.janus.aggregationjobcreator;

import io.janus.core.Clock;
import io.janus.server.binary.Stopper;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.CollectionJobsTable;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.OutstandingBatch;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.TaskAggregationCounter;
import io.janus.server.job.BatchShards;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Groups the Leader's unaggregated reports into aggregation jobs (Janus's aggregation job creator).
 *
 * <p>Per task, one transaction claims up to {@code report_window} of the oldest unaggregated reports (skipping rows
 * other creators hold, so any number of creators may run at once) and groups them by batch:
 * <ul>
 *   <li>time-interval tasks: one group per time-precision bucket, so each job adds to exactly one batch;
 *   <li>fixed-size tasks: per time window (when the task has {@code batch_time_window_size}), the reports fill the
 *       outstanding batches in creation order up to {@code max_batch_size}, then new batches with fresh random IDs;
 *       a batch that reaches its size is marked filled.
 * </ul>
 * A time-interval task's report whose batch a collection has begun on (the collection job froze the Leader's
 * aggregate) is dropped: scrubbed, and counted in {@code batch_collected} of the task's aggregation counters and in
 * {@code janus_reports_dropped_late}. Each group is cut into jobs of at most {@code max_aggregation_job_size} reports. A remainder smaller than
 * {@code min_aggregation_job_size} is returned to the unaggregated pool to wait for company, unless its oldest
 * report is older than the grace period ({@code late_report_grace_period_units} time precisions), or the batch it
 * fills has room for no more: then it becomes a small job, so no report waits forever (Janus issue #3427).
 *
 * <p>Writing a job stores the job (state IN_PROGRESS, step 0) and one report aggregation per report (state START,
 * holding the report's shares), scrubs the client reports (their rows stay for replay detection), and increments
 * {@code aggregation_jobs_created} on one random shard of each batch the job touches. Not thread-safe: one
 * creator per thread (run any number of processes).
 */
public final class AggregationJobCreator {
  private static final Logger LOG = Logger.getLogger(AggregationJobCreator.class.getName());
  private static final byte[] NO_AGGREGATION_PARAMETER = new byte[0];

  /**
   * How jobs are sized.
   *
   * @param batchAggregationShardCount shards per batch aggregation
   * @param minJobSize the fewest reports a job normally gets
   * @param maxJobSize the most reports a job gets
   * @param reportWindow the most reports claimed per transaction
   * @param gracePeriodUnits how many time precisions a small remainder waits before becoming a job anyway
   * @param gracePeriodSeconds if set, the grace period in seconds instead (Janus 0.7's form), for every task
   */
  public record Settings(int batchAggregationShardCount, int minJobSize, int maxJobSize, int reportWindow,
      long gracePeriodUnits, java.util.OptionalLong gracePeriodSeconds) {
    /** Validates the ranges. */
    public Settings {
      if (batchAggregationShardCount < 1 || minJobSize < 1 || maxJobSize < minJobSize || reportWindow < maxJobSize
          || gracePeriodUnits < 0 || gracePeriodSeconds.orElse(0) < 0) {
        throw new IllegalArgumentException("invalid creator settings: " + batchAggregationShardCount + ", "
            + minJobSize + ", " + maxJobSize + ", " + reportWindow + ", " + gracePeriodUnits + ", "
            + gracePeriodSeconds);
      }
    }

    /** Settings with the grace period in time precisions. */
    public Settings(int batchAggregationShardCount, int minJobSize, int maxJobSize, int reportWindow,
        long gracePeriodUnits) {
      this(batchAggregationShardCount, minJobSize, maxJobSize, reportWindow, gracePeriodUnits,
          java.util.OptionalLong.empty());
    }
  }

  /** What one claimed window produced. */
  private record WindowResult(int claimed, int jobsCreated, int droppedLate) {}

  /** Spreads the dropped-late counts over rows the way the drivers' default {@code task_counter_shard_count} does. */
  private static final int TASK_COUNTER_SHARD_COUNT = 32;

  private final Datastore datastore;
  private final Clock clock;
  private final Settings settings;
  private final RandomGenerator random;
  private final Counter jobsCreated;
  private final Counter reportsDroppedLate;

  /**
   * Creates a creator.
   *
   * @param datastore the database
   * @param clock the time that the grace period and report expiry are measured against
   * @param settings job sizing
   * @param random source of job IDs, batch IDs and shard numbers (production: a {@code SecureRandom})
   * @param meters where {@code janus_aggregation_jobs_created} goes
   */
  public AggregationJobCreator(Datastore datastore, Clock clock, Settings settings, RandomGenerator random,
      MeterRegistry meters) {
    this.datastore = datastore;
    this.clock = clock;
    this.settings = settings;
    this.random = random;
    this.jobsCreated = Counter.builder("janus_aggregation_jobs_created").description("Aggregation jobs created")
        .register(meters);
    this.reportsDroppedLate = Counter.builder("janus_reports_dropped_late")
        .description("Uploaded reports dropped because a collection of their batch had already begun")
        .register(meters);
  }

  /**
   * Creates jobs every {@code creationInterval} for every Leader task, refreshing the task list every
   * {@code tasksUpdateFrequency}, until {@code stopper} trips. The first round starts at once, and a round once
   * started covers every task (each task's work is a few short transactions). A failure on one task is logged and
   * retried in the next round.
   */
  public void run(Stopper stopper, Duration creationInterval, Duration tasksUpdateFrequency)
      throws InterruptedException {
    List<Task> tasks = List.of();
    long tasksLoadedAt = Long.MIN_VALUE;
    do {
      long now = clock.nowMillis();
      if (tasksLoadedAt == Long.MIN_VALUE || now - tasksLoadedAt >= tasksUpdateFrequency.toMillis()) {
        try {
          tasks = leaderTasks();
          tasksLoadedAt = now;
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "loading the task list failed; keeping the previous one", e);
        }
      }
      for (Task task : tasks) {
        try {
          createJobs(task);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "creating aggregation jobs for task " + task.id() + " failed", e);
        }
      }
    } while (!stopper.awaitStop(creationInterval));
  }

  /** The tasks this aggregator leads. */
  public List<Task> leaderTasks() {
    return datastore.run("aggregation_job_creator_get_tasks", tx -> {
      List<Task> out = new ArrayList<>();
      for (Task t : tx.tasks().getAll()) {
        if (t.role() == Role.LEADER) {
          out.add(t);
        }
      }
      return out;
    });
  }

  /**
   * Creates jobs for the task's unaggregated reports, one claimed window per transaction, until a window comes
   * back short or yields no job.
   *
   * @return how many jobs were created
   */
  public int createJobs(Task task) {
    if (task.role() != Role.LEADER) {
      throw new IllegalArgumentException("only the Leader creates aggregation jobs: " + task.id());
    }
    int total = 0;
    while (true) {
      WindowResult r = datastore.run("aggregation_job_creator_create_jobs", tx -> createJobsInWindow(tx, task));
      total += r.jobsCreated();
      jobsCreated.increment(r.jobsCreated());
      countDroppedLate(task, r.droppedLate());
      if (r.claimed() < settings.reportWindow() || r.jobsCreated() + r.droppedLate() == 0) {
        return total;
      }
    }
  }

  private WindowResult createJobsInWindow(Tx tx, Task task) {
    Time now = clock.now();
    Time notBefore = task.reportExpiryThreshold(now).orElse(new Time(0));
    List<LeaderStoredReport> reports = tx.clientReports().acquireUnaggregated(task.id(), notBefore,
        settings.reportWindow());
    if (reports.isEmpty()) {
      return new WindowResult(0, 0, 0);
    }
    Time graceCutoff = now.minusSaturating(DapDuration.ofSeconds(saturatedGrace(task)));
    List<LeaderStoredReport> leftovers = new ArrayList<>();
    int claimed = reports.size();
    int dropped = 0;
    int created;
    switch (task.queryType()) {
      case QueryType.TimeInterval t -> {
        List<LeaderStoredReport> aggregatable = new ArrayList<>(reports.size());
        dropped = dropCollected(tx, task, reports, aggregatable);
        created = timeInterval(tx, task, aggregatable, graceCutoff, leftovers);
      }
      case QueryType.FixedSize f -> created = fixedSize(tx, task, f, reports, graceCutoff, leftovers);
    }
    // Leftovers were only locked by acquireUnaggregated: they are back in the pool when the transaction ends.
    return new WindowResult(claimed, created, dropped);
  }

  /**
   * Splits a time-interval task's claimed reports: those in a batch whose collection has begun (draft 09 sections
   * 4.4.2 and 4.6.2: once the Leader asked the Helper for an aggregate share, no further report of that batch may be
   * aggregated) are scrubbed and counted as dropped; the rest go to {@code aggregatable}.
   *
   * <p>Every collection job that covers an aggregatable report but has not begun is written ("touched") here. The
   * job's freezing transaction writes the same row, so under REPEATABLE READ the two cannot both commit: either this
   * transaction's jobs are visible to the freezing (which then waits for them), or this transaction is rerun and sees
   * the frozen batch and drops the reports. Without it a report in a batch with no shards yet could slip past a
   * collection. The touch comes first, before the jobs are built, so that this transaction holds the row lock for
   * the rest of its work: a collection job driver taking the job's lease meanwhile waits and retries its short
   * transaction, instead of this long one failing at its end, which under steady polling could fail every time.
   * Reports that end up as leftovers (back in the pool) may have caused a touch too; that only serializes more.
   *
   * @return how many reports were dropped
   */
  private static int dropCollected(Tx tx, Task task, List<LeaderStoredReport> reports,
      List<LeaderStoredReport> aggregatable) {
    Interval span = Interval.EMPTY;
    for (LeaderStoredReport r : reports) {
      span = span.mergedWith(r.time());
    }
    List<CollectionJobsTable.Coverage> coverage = tx.collectionJobs().covering(task.id(), span);
    if (coverage.isEmpty()) {
      aggregatable.addAll(reports);
      return 0;
    }
    List<ReportId> dropped = new ArrayList<>();
    for (LeaderStoredReport r : reports) {
      boolean collected = coverage.stream().anyMatch(c -> c.frozen() && c.covers(r.time()));
      if (collected) {
        dropped.add(r.reportId());
      } else {
        aggregatable.add(r);
      }
    }
    for (CollectionJobsTable.Coverage c : coverage) {
      if (!c.frozen() && aggregatable.stream().anyMatch(r -> c.covers(r.time()))) {
        tx.collectionJobs().touch(task.id(), c.jobId());
      }
    }
    if (!dropped.isEmpty()) {
      tx.clientReports().scrub(task.id(), dropped);
      LOG.fine(() -> "dropped " + dropped.size() + " reports of task " + task.id()
          + " that arrived after the collection of their batch began");
    }
    return dropped.size();
  }

  /** Adds dropped-late reports to the task's counters (metrics: a failure is logged, not retried). */
  private void countDroppedLate(Task task, int dropped) {
    if (dropped == 0) {
      return;
    }
    reportsDroppedLate.increment(dropped);
    TaskAggregationCounter total = new TaskAggregationCounter(0, dropped, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    try {
      datastore.run("update_task_aggregation_counters", tx -> tx.taskCounters().incrementAggregation(task.id(),
          TASK_COUNTER_SHARD_COUNT, total));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "counting dropped reports of task " + task.id() + " failed", e);
    }
  }

  /** The grace period in seconds, saturating instead of overflowing for absurd configurations. */
  private long saturatedGrace(Task task) {
    if (settings.gracePeriodSeconds().isPresent()) {
      return settings.gracePeriodSeconds().getAsLong();
    }
    long p = task.timePrecision().seconds();
    return settings.gracePeriodUnits() > Long.MAX_VALUE / p ? Long.MAX_VALUE : settings.gracePeriodUnits() * p;
  }

  private int timeInterval(Tx tx, Task task, List<LeaderStoredReport> reports, Time graceCutoff,
      List<LeaderStoredReport> leftovers) {
    Map<Long, List<LeaderStoredReport>> buckets = new TreeMap<>();
    for (LeaderStoredReport r : reports) {
      buckets.computeIfAbsent(r.time().truncateTo(task.timePrecision()).seconds(), k -> new ArrayList<>()).add(r);
    }
    int created = 0;
    for (List<LeaderStoredReport> bucket : buckets.values()) {
      for (List<LeaderStoredReport> job : cut(bucket, false, graceCutoff, leftovers)) {
        createJob(tx, task, job, Optional.empty());
        created++;
      }
    }
    return created;
  }

  private int fixedSize(Tx tx, Task task, QueryType.FixedSize f, List<LeaderStoredReport> reports, Time graceCutoff,
      List<LeaderStoredReport> leftovers) {
    Map<Long, List<LeaderStoredReport>> windows = new TreeMap<>();
    for (LeaderStoredReport r : reports) {
      long w = f.batchTimeWindowSize().map(size -> r.time().truncateTo(size).seconds()).orElse(Long.MIN_VALUE);
      windows.computeIfAbsent(w, k -> new ArrayList<>()).add(r);
    }
    int created = 0;
    for (Map.Entry<Long, List<LeaderStoredReport>> e : windows.entrySet()) {
      Optional<Time> bucket = e.getKey() == Long.MIN_VALUE ? Optional.empty() : Optional.of(new Time(e.getKey()));
      created += fillBatches(tx, task, f, bucket, e.getValue(), graceCutoff, leftovers);
    }
    return created;
  }

  /** Puts one time window's reports into its outstanding batches, then into new ones. */
  private int fillBatches(Tx tx, Task task, QueryType.FixedSize f, Optional<Time> bucket,
      List<LeaderStoredReport> reports, Time graceCutoff, List<LeaderStoredReport> leftovers) {
    Iterator<OutstandingBatch> filling = tx.outstandingBatches().listFilling(task.id(), bucket).iterator();
    int next = 0;
    int created = 0;
    while (next < reports.size()) {
      boolean isNew = !filling.hasNext();
      BatchId batchId = isNew ? newBatchId() : filling.next().batchId();
      // Claiming writes the batch's row, so no other creator fills it from the same size and no current_batch
      // collection takes it while this transaction adds to it.
      if (!isNew && !tx.outstandingBatches().claim(task.id(), batchId)) {
        continue;
      }
      long current = isNew ? 0 : tx.outstandingBatches().size(task.id(), batchId).max();
      long capacity = f.maxBatchSize().isPresent() ? f.maxBatchSize().getAsLong() - current : Long.MAX_VALUE;
      if (capacity <= 0) {
        tx.outstandingBatches().markFilled(task.id(), batchId);
        continue;
      }
      int take = (int) Math.min(capacity, reports.size() - next);
      // A remainder smaller than a job is fine when the batch has room for no more reports.
      boolean batchLimited = take == capacity;
      List<List<LeaderStoredReport>> jobs = cut(reports.subList(next, next + take), batchLimited, graceCutoff,
          leftovers);
      next += take;
      if (jobs.isEmpty()) {
        continue;
      }
      if (isNew) {
        tx.outstandingBatches().put(task.id(), batchId, bucket);
      }
      long assigned = 0;
      for (List<LeaderStoredReport> job : jobs) {
        createJob(tx, task, job, Optional.of(batchId));
        assigned += job.size();
        created++;
      }
      if (f.maxBatchSize().isPresent() && current + assigned >= f.maxBatchSize().getAsLong()) {
        tx.outstandingBatches().markFilled(task.id(), batchId);
      }
    }
    return created;
  }

  /**
   * Cuts reports (oldest first) into jobs of at most the maximum size. A remainder below the minimum becomes a job
   * only if {@code takeAll} or its oldest report is older than {@code graceCutoff}; otherwise it goes to
   * {@code leftovers}.
   */
  private List<List<LeaderStoredReport>> cut(List<LeaderStoredReport> reports, boolean takeAll, Time graceCutoff,
      List<LeaderStoredReport> leftovers) {
    List<List<LeaderStoredReport>> jobs = new ArrayList<>();
    int i = 0;
    while (reports.size() - i >= settings.maxJobSize()) {
      jobs.add(reports.subList(i, i + settings.maxJobSize()));
      i += settings.maxJobSize();
    }
    int remaining = reports.size() - i;
    if (remaining > 0) {
      List<LeaderStoredReport> rest = reports.subList(i, reports.size());
      if (remaining >= settings.minJobSize() || takeAll || !rest.get(0).time().isAfter(graceCutoff)) {
        jobs.add(rest);
      } else {
        leftovers.addAll(rest);
      }
    }
    return jobs;
  }

  private void createJob(Tx tx, Task task, List<LeaderStoredReport> reports, Optional<BatchId> batchId) {
    AggregationJobId jobId = new AggregationJobId(randomBytes(AggregationJobId.LENGTH));
    Interval interval = Interval.EMPTY;
    Set<BatchIdentifier> batches = new LinkedHashSet<>();
    List<ReportAggregation> ras = new ArrayList<>(reports.size());
    List<ReportId> ids = new ArrayList<>(reports.size());
    for (int ord = 0; ord < reports.size(); ord++) {
      LeaderStoredReport r = reports.get(ord);
      interval = interval.mergedWith(r.time());
      batches.add(BatchShards.batchFor(task, r.time(), batchId));
      ids.add(r.reportId());
      ras.add(new ReportAggregation(task.id(), jobId, r.reportId(), r.time(), ord, Optional.empty(),
          new ReportAggregationState.Start(r.leaderExtensions(), r.publicShare(), r.leaderInputShare(),
              r.helperEncryptedInputShare(), r.publicExtensions())));
    }
    if (!tx.aggregationJobs().put(new AggregationJob(task.id(), jobId, NO_AGGREGATION_PARAMETER, batchId, interval,
        AggregationJobState.IN_PROGRESS, 0, Optional.empty()))) {
      throw new IllegalStateException("aggregation job " + jobId + " already exists in task " + task.id());
    }
    tx.reportAggregations().putAll(ras);
    tx.clientReports().scrub(task.id(), ids);
    for (BatchIdentifier b : batches) {
      BatchShards.addJobCounts(tx, task.id(), b, NO_AGGREGATION_PARAMETER,
          random.nextInt(settings.batchAggregationShardCount()), 1, 0);
    }
  }

  private BatchId newBatchId() {
    return new BatchId(randomBytes(BatchId.LENGTH));
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
