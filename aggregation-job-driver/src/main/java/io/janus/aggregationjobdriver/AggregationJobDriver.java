package io.janus.aggregationjobdriver;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.Clock;
import io.janus.server.datastore.CollectionJobsTable;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.LeaseLostException;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.AcquiredAggregationJob;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.Lease;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.server.datastore.model.TaskAggregationCounter;
import io.janus.server.job.AggregationStepWriter;
import io.janus.server.job.BatchShards;
import io.janus.server.job.FailureBackoff;
import io.janus.server.job.JobDriver;
import io.janus.server.job.ParallelPreparation;
import io.janus.core.http.DapRequestException;
import io.janus.core.task.Task;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.ReportId;
import io.janus.vdaf.VdafException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.janus.core.http.NotReadyException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Drives the Leader's aggregation jobs (draft-ietf-ppm-dap-09 section 4.4 and draft-ietf-ppm-dap-18 section 4.5,
 * Leader side, each task in its own draft through {@link AggregationJobHelpers}), one step per lease.
 *
 * <p>A step reads the job and its report aggregations, then does one round trip with the Helper outside any
 * transaction:
 * <ul>
 *   <li>reports in START are prepared with {@code ping_pong_leader_init} and sent in the job's initialization
 *       request ({@link AggregationJobHelper#initialize});
 *   <li>otherwise, reports waiting on the Helper are sent the Leader's stored message in a continuation request for
 *       the next step ({@link AggregationJobHelper#continueJob}).
 * </ul>
 * The Leader's preparation of the job's reports, before the request and after the answer, runs in parallel on the
 * process's {@link ParallelPreparation} pool. The Helper's answer for each report is folded in with
 * {@code ping_pong_leader_continued}: a report finishes with an output share, waits for another round, or fails
 * with the Helper's (or the Leader's own) error. One transaction then writes everything through the lease, with the
 * {@link AggregationStepWriter} the Helper uses too: the report states, the output shares summed and merged into one
 * random shard of each batch (report count, checksum XOR SHA-256(report ID), client timestamp interval; a batch
 * already collected fails its reports with {@code BATCH_COLLECTED}), and, once no report is left in preparation,
 * the job's end ({@code FINISHED}, and {@code aggregation_jobs_terminated} incremented on every batch the job
 * touched). The lease is then released, so a job needing another round is picked up again at once.
 *
 * <p>A DAP-18 Helper may defer its answer; the helper polls for it until the deadline. If it is still not ready, the
 * step writes only the job's Helper location and releases the lease until the Helper's {@code Retry-After}, without
 * counting a failed attempt; the next step sends the same request again (see {@code deferred}).
 *
 * <p>A step that fails (Helper unreachable after retries, Helper error, deadline passed) writes nothing of its
 * work and releases its lease keeping the attempt count, with a delay of {@link Settings#failureBackoff()}: a
 * transient failure is retried within seconds rather than after a whole lease, and each further failure waits
 * longer. The failure is then rethrown for the {@link JobDriver} to log and count. As in Janus, a job leased more
 * than {@code maximum_attempts_before_failure} times is abandoned (its batches count it as terminated, so collection
 * is not blocked forever); a job the Helper refuses outright (a 4xx other than 429 and unauthorizedRequest) is
 * abandoned at once. Either way the Helper is then sent DELETE for the job. Reports whose batch a collection has
 * begun on fail with {@code BATCH_COLLECTED} before the initialization request is built. A step whose lease was taken over writes nothing and leaves the job alone; an
 * interrupted step keeps its lease until it expires. Thread-safe.
 */
public final class AggregationJobDriver {
  private static final Logger LOG = Logger.getLogger(AggregationJobDriver.class.getName());

  /**
   * Tuning from the binary's configuration.
   *
   * @param batchAggregationShardCount shards per batch aggregation
   * @param maximumAttemptsBeforeFailure leases a job may take before it is abandoned
   * @param taskCounterShardCount shards per task aggregation counter row
   * @param failureBackoff how long a job whose step failed waits before its next lease, by attempt
   */
  public record Settings(int batchAggregationShardCount, int maximumAttemptsBeforeFailure,
      int taskCounterShardCount, FailureBackoff failureBackoff) {
    /** Validates the ranges. */
    public Settings {
      if (batchAggregationShardCount < 1 || maximumAttemptsBeforeFailure < 1 || taskCounterShardCount < 1) {
        throw new IllegalArgumentException("invalid driver settings: " + batchAggregationShardCount + ", "
            + maximumAttemptsBeforeFailure + ", " + taskCounterShardCount);
      }
    }

    /** Settings with the default failure backoff ({@link FailureBackoff#DEFAULT}). */
    public Settings(int batchAggregationShardCount, int maximumAttemptsBeforeFailure, int taskCounterShardCount) {
      this(batchAggregationShardCount, maximumAttemptsBeforeFailure, taskCounterShardCount,
          FailureBackoff.DEFAULT);
    }

    /** Settings with the default {@code task_counter_shard_count} of 32 and the default failure backoff. */
    public Settings(int batchAggregationShardCount, int maximumAttemptsBeforeFailure) {
      this(batchAggregationShardCount, maximumAttemptsBeforeFailure, DEFAULT_TASK_COUNTER_SHARD_COUNT);
    }
  }

  /** The {@code task_counter_shard_count} used when none is configured (Janus's default). */
  public static final int DEFAULT_TASK_COUNTER_SHARD_COUNT = 32;

  /** What a step's write transaction did: whether the job ended, and the report outcomes to count. */
  private record Written(boolean done, TaskAggregationCounter outcomes) {}

  /**
   * A job as read at the start of a step, with the ords of its START reports whose batch a collection has begun
   * on: those fail with {@code BATCH_COLLECTED} and never reach the Helper.
   */
  private record Loaded(Task task, AggregationJob job, List<ReportAggregation> reportAggregations,
      Set<Integer> collectedOrds) {}

  /**
   * The result of one round trip: new report states and the output shares of finished reports, by ord, and where
   * the Helper created the job if this step created it there (DAP-18).
   */
  private record StepResult(Map<Integer, ReportAggregationState> states, Map<Integer, byte[]> outputs, int step,
      Optional<URI> helperLocation) {}

  /** A START report's ping-pong initialization, or the failure that ended it. */
  private record LeaderInit(ReportAggregation reportAggregation, Optional<PingPongVdaf.LeaderStart> start) {}

  private final Datastore datastore;
  private final Clock clock;
  private final TaskVdafs vdafs;
  private final AggregationJobHelper helper;
  private final Settings settings;
  private final RandomGenerator random;
  private final Counter jobsFinished;
  private final Counter jobsAbandoned;
  private final Counter leasesLost;

  /**
   * Creates a driver.
   *
   * @param datastore the Leader's database
   * @param clock the time the lease deadline is checked against
   * @param vdafs maps a task's VDAF to its implementation (production: {@link TaskVdafs#PRODUCTION})
   * @param helper the Helper's API, in the deployment's DAP draft
   * @param settings sharding and abandonment
   * @param random picks batch aggregation shards; must be thread-safe (production: a {@code SecureRandom})
   * @param meters where {@code janus_aggregation_jobs{status}} and {@code janus_job_leases_lost{driver}} go
   */
  public AggregationJobDriver(Datastore datastore, Clock clock, TaskVdafs vdafs,
      AggregationJobHelper helper, Settings settings, RandomGenerator random, MeterRegistry meters) {
    this.datastore = datastore;
    this.clock = clock;
    this.vdafs = vdafs;
    this.helper = helper;
    this.settings = settings;
    this.random = random;
    this.jobsFinished = Counter.builder("janus_aggregation_jobs").description("Aggregation jobs ended, by outcome")
        .tag("status", "finished").register(meters);
    this.jobsAbandoned = Counter.builder("janus_aggregation_jobs").description("Aggregation jobs ended, by outcome")
        .tag("status", "abandoned").register(meters);
    this.leasesLost = Counter.builder("janus_job_leases_lost").description("Steps dropped because the lease was lost")
        .tag("driver", "aggregation_job_driver").register(meters);
  }

  /** A {@link JobDriver} that acquires and steps this driver's jobs. */
  public JobDriver<AcquiredAggregationJob> jobDriver(JobDriver.Settings jobSettings, MeterRegistry meters) {
    return new JobDriver<>("aggregation_job_driver", jobSettings, this::acquire, this::step, meters);
  }

  /** Leases up to {@code maxCount} of the Leader's in-progress aggregation jobs. */
  public List<Lease<AcquiredAggregationJob>> acquire(Duration leaseDuration, int maxCount) {
    return datastore.run("acquire_aggregation_jobs", tx -> tx.aggregationJobs().acquireIncomplete(leaseDuration,
        maxCount));
  }

  /**
   * Steps the job under {@code lease} (see the class comment).
   *
   * @param deadline no write is attempted after this instant
   * @throws io.janus.core.http.DapRequestException if the Helper could not be reached or refused the request (the
   *     lease was released for a retry after the backoff)
   * @throws AggregationJobHelper.InvalidHelperResponseException if the Helper's answer does not fit the request
   *     (likewise)
   * @throws InterruptedException if interrupted while talking to the Helper (the lease is kept)
   */
  public void step(Lease<AcquiredAggregationJob> lease, Instant deadline) throws InterruptedException {
    try {
      if (lease.attempts() > settings.maximumAttemptsBeforeFailure()) {
        abandon(lease, "after " + (lease.attempts() - 1) + " attempts", deadline);
        return;
      }
      Optional<Loaded> loaded = datastore.run("step_aggregation_job_read", tx -> load(tx, lease));
      if (loaded.isEmpty()) {
        // Deleted, finished or abandoned meanwhile: nothing to do but give the lease back.
        datastore.run("release_aggregation_job", tx -> {
          tx.aggregationJobs().release(lease, Duration.ZERO);
          return null;
        });
        return;
      }
      StepResult result;
      try {
        result = roundTrip(loaded.get(), deadline);
      } catch (NotReadyException e) {
        deferred(lease, loaded.get(), e);
        return;
      } catch (DapRequestException e) {
        if (!e.isFinalRefusal()) {
          throw e;
        }
        // The Helper would refuse the same request again: retrying to the attempt limit only delays the end.
        abandon(lease, "because the Helper refused it: " + e.getMessage(), deadline);
        return;
      }
      write(lease, loaded.get(), result, deadline);
    } catch (LeaseLostException e) {
      leasesLost.increment();
      LOG.log(Level.INFO, "dropping the step of " + lease.leased().jobId() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      releaseAfterFailure(lease, e);
      throw e;
    }
  }

  /**
   * The Helper accepted the step's request but its answer was not ready by the deadline (DAP-18 section 3.1): the
   * job keeps the location the Helper gave it, so an abandoned job can still be deleted there, and its lease is
   * released until the Helper's {@code Retry-After}. This is no failure, so the attempt count restarts (as when a
   * collection job waits for its batch). The next step sends the same request again: the Leader's part of it is
   * rebuilt from the same stored state, byte for byte, and the Helper answers it from the job it holds.
   */
  private void deferred(Lease<AcquiredAggregationJob> lease, Loaded l, NotReadyException e) {
    datastore.run("defer_aggregation_job", tx -> {
      if (e.location().isPresent() && !e.location().equals(l.job().helperLocation())) {
        tx.aggregationJobs().update(l.job().withHelperLocation(e.location().get()), lease);
      }
      tx.aggregationJobs().release(lease, e.retryAfter());
      return null;
    });
    LOG.fine(() -> "aggregation job " + lease.leased().jobId() + " not ready at the Helper; asking again in "
        + e.retryAfter() + ": " + e.getMessage());
  }

  /**
   * Gives a failed step's lease back, keeping the attempt count, so the job is leased again after the backoff for
   * this attempt. If that fails too, the lease is simply left to expire: the release failure is attached to the
   * step's.
   */
  private void releaseAfterFailure(Lease<AcquiredAggregationJob> lease, RuntimeException failure) {
    Duration delay = settings.failureBackoff().delay(lease.attempts());
    try {
      datastore.run("release_failed_aggregation_job", tx -> {
        tx.aggregationJobs().releaseKeepingAttempts(lease, delay);
        return null;
      });
      LOG.fine(() -> "step of aggregation job " + lease.leased().jobId() + " failed on attempt " + lease.attempts()
          + "; retrying in " + delay);
    } catch (LeaseLostException e) {
      // Another worker holds the job now: there is nothing to give back.
      leasesLost.increment();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static Optional<Loaded> load(Tx tx, Lease<AcquiredAggregationJob> lease) {
    AcquiredAggregationJob a = lease.leased();
    Optional<Task> task = tx.tasks().get(a.taskId());
    Optional<AggregationJob> job = tx.aggregationJobs().get(a.taskId(), a.jobId());
    if (task.isEmpty() || job.isEmpty() || job.get().state() != AggregationJobState.IN_PROGRESS) {
      return Optional.empty();
    }
    List<ReportAggregation> ras = tx.reportAggregations().getForJob(a.taskId(), a.jobId());
    return Optional.of(new Loaded(task.get(), job.get(), ras, collectedOrds(tx, task.get(), job.get(), ras)));
  }

  /**
   * The START reports of the job whose batch a collection has begun on (draft 09 section 4.6.2: no aggregation
   * job may add to a batch once the Helper was asked for its share). The creator never puts such reports in a job
   * and the collection waits for every job it can see, so this finds none unless those guards failed; checking
   * before the Helper sees the reports keeps both aggregators' batches equal even then.
   */
  private static Set<Integer> collectedOrds(Tx tx, Task task, AggregationJob job, List<ReportAggregation> ras) {
    List<ReportAggregation> starting = ras.stream()
        .filter(ra -> ra.state() instanceof ReportAggregationState.Start).toList();
    if (starting.isEmpty()) {
      return Set.of();
    }
    Set<Integer> out = new HashSet<>();
    if (job.batchId().isPresent()) {
      if (tx.batchAggregations().anyCollected(task.id(), BatchShards.batchFor(task, job.clientTimestampInterval()
          .start(), job.batchId()))) {
        starting.forEach(ra -> out.add(ra.ord()));
      }
      return out;
    }
    List<CollectionJobsTable.Coverage> frozen = tx.collectionJobs()
        .covering(task.id(), job.clientTimestampInterval()).stream()
        .filter(CollectionJobsTable.Coverage::frozen).toList();
    for (ReportAggregation ra : starting) {
      if (frozen.stream().anyMatch(c -> c.covers(ra.time()))) {
        out.add(ra.ord());
      }
    }
    return out;
  }

  private StepResult roundTrip(Loaded l, Instant deadline) throws InterruptedException {
    Task task = l.task();
    AggregationJob job = l.job();
    PingPongVdaf vdaf = vdafs.of(task);
    byte[] param = job.aggregationParameter();
    Map<Integer, ReportAggregationState> states = new HashMap<>();
    Map<Integer, byte[]> outputs = new HashMap<>();
    Map<ReportId, ReportAggregation> byId = new HashMap<>();
    Map<ReportId, LeaderPending> pending = new HashMap<>();
    boolean init = l.reportAggregations().stream().anyMatch(ra -> ra.state() instanceof ReportAggregationState.Start);
    List<AggregationJobHelper.PrepareResponse> responses;
    Optional<URI> helperLocation = Optional.empty();
    int step = job.step();
    if (init) {
      List<ReportAggregation> starting = new ArrayList<>();
      for (ReportAggregation ra : l.reportAggregations()) {
        if (!(ra.state() instanceof ReportAggregationState.Start)) {
          continue;
        }
        if (l.collectedOrds().contains(ra.ord())) {
          states.put(ra.ord(), new ReportAggregationState.Failed(ReportFailure.BATCH_COLLECTED));
        } else {
          starting.add(ra);
        }
      }
      List<LeaderInit> prepared = ParallelPreparation.map(starting, ra -> leaderInit(task, vdaf, param, ra));
      List<AggregationJobHelper.PrepareInit> inits = new ArrayList<>();
      for (LeaderInit p : prepared) {
        ReportAggregation ra = p.reportAggregation();
        if (p.start().isEmpty()) {
          states.put(ra.ord(), new ReportAggregationState.Failed(ReportFailure.VDAF_PREP_ERROR));
          continue;
        }
        ReportAggregationState.Start s = (ReportAggregationState.Start) ra.state();
        inits.add(new AggregationJobHelper.PrepareInit(ra.reportId(), ra.time(), s.publicShare(),
            s.helperEncryptedInputShare(), p.start().get().outbound(), s.publicExtensions()));
        byId.put(ra.reportId(), ra);
        pending.put(ra.reportId(), new LeaderPending(false, p.start().get().state(), new byte[0]));
      }
      if (inits.isEmpty()) {
        responses = List.of();
      } else {
        AggregationJobHelper.Initialized initialized = helper.initialize(task, job.id(), param, job.batchId(),
            inits, deadline);
        responses = initialized.responses();
        helperLocation = initialized.helperLocation();
      }
    } else {
      List<AggregationJobHelper.PrepareContinue> continues = new ArrayList<>();
      for (ReportAggregation ra : l.reportAggregations()) {
        if (ra.state() instanceof ReportAggregationState.WaitingLeader w) {
          LeaderPending p = LeaderPending.decode(w.transition());
          continues.add(new AggregationJobHelper.PrepareContinue(ra.reportId(), p.outbound()));
          byId.put(ra.reportId(), ra);
          pending.put(ra.reportId(), p);
        }
      }
      if (!continues.isEmpty()) {
        step = job.step() + 1;
        responses = helper.continueJob(task, job.id(), job.helperLocation(), step, continues, deadline);
      } else {
        responses = List.of();
      }
    }
    List<Advanced> advanced = ParallelPreparation.map(responses,
        r -> advance(vdaf, param, pending.get(r.reportId()), r, byId.get(r.reportId())));
    for (Advanced a : advanced) {
      states.put(a.ord(), a.state());
      a.outputShare().ifPresent(o -> outputs.put(a.ord(), o));
    }
    return new StepResult(states, outputs, step, helperLocation);
  }

  /** {@code ping_pong_leader_init} for one START report; empty if its shares do not prepare. */
  private static LeaderInit leaderInit(Task task, PingPongVdaf vdaf, byte[] param, ReportAggregation ra) {
    ReportAggregationState.Start s = (ReportAggregationState.Start) ra.state();
    try {
      return new LeaderInit(ra, Optional.of(vdaf.leaderInitialized(task.vdafVerifyKey(), param,
          ra.reportId().bytes(), s.publicShare(), s.leaderInputShare())));
    } catch (VdafException e) {
      return new LeaderInit(ra, Optional.empty());
    }
  }

  /** A report's next state after the Helper's answer, with its output share when it finished. */
  private record Advanced(int ord, ReportAggregationState state, Optional<byte[]> outputShare) {}

  /** The report's next state given the Helper's answer. */
  private static Advanced advance(PingPongVdaf vdaf, byte[] param, LeaderPending pending,
      AggregationJobHelper.PrepareResponse response, ReportAggregation ra) {
    int ord = ra.ord();
    Advanced prepFailed = new Advanced(ord, new ReportAggregationState.Failed(ReportFailure.VDAF_PREP_ERROR),
        Optional.empty());
    return switch (response) {
      case AggregationJobHelper.PrepareResponse.Reject j ->
          new Advanced(ord, new ReportAggregationState.Failed(j.failure()), Optional.empty());
      case AggregationJobHelper.PrepareResponse.Finished f -> {
        // The Helper may only finish after the Leader did and sent its last message.
        if (!pending.finished()) {
          yield prepFailed;
        }
        yield new Advanced(ord, new ReportAggregationState.Finished(), Optional.of(pending.stateOrOutputShare()));
      }
      case AggregationJobHelper.PrepareResponse.Continue c -> {
        if (pending.finished()) {
          yield prepFailed;
        }
        try {
          yield switch (vdaf.leaderContinued(param, pending.stateOrOutputShare(), c.message())) {
            case PingPongVdaf.Finished f when f.finalMessage().isEmpty() ->
                new Advanced(ord, new ReportAggregationState.Finished(), Optional.of(f.outputShare()));
            case PingPongVdaf.Finished f -> new Advanced(ord, new ReportAggregationState.WaitingLeader(
                new LeaderPending(true, f.outputShare(), f.finalMessage().get()).encode()), Optional.empty());
            case PingPongVdaf.Continued k -> new Advanced(ord, new ReportAggregationState.WaitingLeader(
                new LeaderPending(false, k.state(), k.message()).encode()), Optional.empty());
          };
        } catch (VdafException e) {
          yield prepFailed;
        }
      }
    };
  }

  private void write(Lease<AcquiredAggregationJob> lease, Loaded l, StepResult result, Instant deadline) {
    Task task = l.task();
    PingPongVdaf vdaf = vdafs.of(task);
    boolean stillPreparing = false;
    for (ReportAggregation ra : l.reportAggregations()) {
      ReportAggregationState s = result.states().getOrDefault(ra.ord(), ra.state());
      stillPreparing |= s instanceof ReportAggregationState.Start
          || s instanceof ReportAggregationState.WaitingLeader;
    }
    boolean done = !stillPreparing;
    Written written = datastore.run("step_aggregation_job_write", tx -> {
      if (clock.nowMillis() > deadline.toEpochMilli()) {
        throw new IllegalStateException(
            "the lease deadline of " + l.job().id() + " passed before its step was written");
      }
      AggregationJob job = l.job().withStep(result.step());
      if (result.helperLocation().isPresent()) {
        job = job.withHelperLocation(result.helperLocation().get());
      }
      if (done) {
        job = job.withState(AggregationJobState.FINISHED);
      }
      // The leased update comes first: if the lease was lost, nothing else is written.
      tx.aggregationJobs().update(job, lease);
      AggregationStepWriter writer = new AggregationStepWriter(task, vdaf, l.job().aggregationParameter(),
          l.job().batchId(), random.nextInt(settings.batchAggregationShardCount()));
      for (ReportAggregation ra : l.reportAggregations()) {
        ReportAggregationState s = result.states().get(ra.ord());
        if (s == null) {
          continue;
        }
        byte[] output = result.outputs().get(ra.ord());
        if (output != null) {
          writer.finished(ra.withState(s), output);
        } else {
          writer.changed(ra.withState(s));
        }
      }
      TaskAggregationCounter outcomes = TaskAggregationCounter.outcomesOf(writer.write(tx, false));
      if (done) {
        countTerminated(tx, task, l.job(), l.reportAggregations());
      }
      tx.aggregationJobs().release(lease, Duration.ZERO);
      return new Written(done, outcomes);
    });
    if (written.done()) {
      jobsFinished.increment();
    }
    countOutcomes(task, written.outcomes());
  }

  /**
   * Adds a step's report outcomes to the task's aggregation counters, in a transaction of its own: these hot rows
   * would otherwise make concurrent steps conflict (Janus PR #2754 moved them out for the same reason). The
   * counters are metrics, so a failure here is logged, not retried.
   */
  private void countOutcomes(Task task, TaskAggregationCounter outcomes) {
    if (outcomes.equals(TaskAggregationCounter.ZERO)) {
      return;
    }
    try {
      datastore.run("update_task_aggregation_counters", tx -> tx.taskCounters().incrementAggregation(task.id(),
          settings.taskCounterShardCount(), outcomes));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "counting aggregation outcomes of task " + task.id() + " failed", e);
    }
  }

  /** Counts the job as terminated in every batch it touched (the batches the creator counted it as created in). */
  private void countTerminated(Tx tx, Task task, AggregationJob job, List<ReportAggregation> ras) {
    Map<String, BatchIdentifier> batches = new TreeMap<>();
    for (ReportAggregation ra : ras) {
      BatchIdentifier b = BatchShards.batchFor(task, ra.time(), job.batchId());
      batches.put(HexFormat.of().formatHex(b.toBytes()), b);
    }
    for (BatchIdentifier b : batches.values()) {
      BatchShards.addJobCounts(tx, task.id(), b, job.aggregationParameter(),
          random.nextInt(settings.batchAggregationShardCount()), 0, 1);
    }
  }

  /**
   * Abandons the job: its batches count it as terminated, so collection is not blocked forever. The Helper is then
   * told (DELETE) so it can drop what it holds for the job; that is a courtesy, so its failure is only logged.
   */
  private void abandon(Lease<AcquiredAggregationJob> lease, String why, Instant deadline)
      throws InterruptedException {
    Optional<Loaded> abandoned = datastore.run("abandon_aggregation_job", tx -> {
      Optional<Loaded> l = load(tx, lease);
      if (l.isPresent()) {
        tx.aggregationJobs().update(l.get().job().withState(AggregationJobState.ABANDONED), lease);
        countTerminated(tx, l.get().task(), l.get().job(), l.get().reportAggregations());
      }
      tx.aggregationJobs().release(lease, Duration.ZERO);
      return l;
    });
    if (abandoned.isEmpty()) {
      return;
    }
    jobsAbandoned.increment();
    LOG.warning(() -> "abandoned aggregation job " + lease.leased().jobId() + " of task " + lease.leased().taskId()
        + " " + why);
    try {
      helper.delete(abandoned.get().task(), lease.leased().jobId(), abandoned.get().job().helperLocation(),
          deadline);
    } catch (RuntimeException e) {
      LOG.log(Level.INFO, "could not delete abandoned aggregation job " + lease.leased().jobId()
          + " at the Helper", e);
    }
  }
}
