package io.janus.aggregationjobcreator;

import io.janus.core.Clock;
import io.janus.core.binary.Stopper;
import io.janus.core.datastore.Datastore;
import io.janus.core.datastore.Tx;
import io.janus.core.datastore.model.AggregationJob;
import io.janus.core.datastore.model.AggregationJobState;
import io.janus.core.datastore.model.BatchIdentifier;
import io.janus.core.datastore.model.LeaderStoredReport;
import io.janus.core.datastore.model.OutstandingBatch;
import io.janus.core.datastore.model.ReportAggregation;
import io.janus.core.datastore.model.ReportAggregationState;
import io.janus.core.job.BatchShards;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.Duration;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Each group is cut into jobs of at most {@code max_aggregation_job_size} reports. A remainder smaller than
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
   */
  public record Settings(int batchAggregationShardCount, int minJobSize, int maxJobSize, int reportWindow,
      long gracePeriodUnits) {
    /** Validates the ranges. */
    public Settings {
      if (batchAggregationShardCount < 1 || minJobSize < 1 || maxJobSize < minJobSize || reportWindow < maxJobSize
          || gracePeriodUnits < 0) {
        throw new IllegalArgumentException("invalid creator settings: " + batchAggregationShardCount + ", "
            + minJobSize + ", " + maxJobSize + ", " + reportWindow + ", " + gracePeriodUnits);
      }
    }
  }

  /** What one claimed window produced. */
  private record WindowResult(int claimed, int jobsCreated) {}

  private final Datastore datastore;
  private final Clock clock;
  private final Settings settings;
  private final RandomGenerator random;
  private final Counter jobsCreated;

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
  }

  /**
   * Creates jobs every {@code creationInterval} for every Leader task, refreshing the task list every
   * {@code tasksUpdateFrequency}, until {@code stopper} trips. The first round starts at once, and a round once
   * started covers every task (each task's work is a few short transactions). A failure on one task is logged and
   * retried in the next round.
   */
  public void run(Stopper stopper, java.time.Duration creationInterval, java.time.Duration tasksUpdateFrequency)
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
      if (r.claimed() < settings.reportWindow() || r.jobsCreated() == 0) {
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
      return new WindowResult(0, 0);
    }
    Time graceCutoff = now.minusSaturating(Duration.ofSeconds(saturatedGrace(task)));
    List<LeaderStoredReport> leftovers = new ArrayList<>();
    int created = switch (task.queryType()) {
      case QueryType.TimeInterval t -> timeInterval(tx, task, reports, graceCutoff, leftovers);
      case QueryType.FixedSize f -> fixedSize(tx, task, f, reports, graceCutoff, leftovers);
    };
    if (!leftovers.isEmpty()) {
      tx.clientReports().markUnaggregated(task.id(), leftovers.stream().map(LeaderStoredReport::reportId).toList());
    }
    return new WindowResult(reports.size(), created);
  }

  /** The grace period in seconds, saturating instead of overflowing for absurd configurations. */
  private long saturatedGrace(Task task) {
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
              r.helperEncryptedInputShare())));
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
