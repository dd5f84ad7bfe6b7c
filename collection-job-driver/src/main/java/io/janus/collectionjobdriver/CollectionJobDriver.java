package io.janus.collectionjobdriver;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.Clock;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.LeaseLostException;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.AggregationJobCounts;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchAggregationState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.Lease;
import io.janus.server.job.FailureBackoff;
import io.janus.server.job.JobDriver;
import io.janus.core.http.DapRequestException;
import io.janus.core.http.NotReadyException;
import io.janus.core.task.ReportIdChecksum;
import io.janus.core.task.Task;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.DapProblemType;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.vdaf.VdafException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives the Leader's collection jobs (draft-ietf-ppm-dap-09 section 4.5 and draft-ietf-ppm-dap-18 section 4.6,
 * Leader side, each task in its own draft through {@link AggregateShareHelpers}), one step per lease.
 *
 * <p>A step first checks, in one transaction, that the batch is complete: summed over its batch aggregation shards,
 * every aggregation job created for it has terminated, no report in it still waits for a job (time-interval
 * batches), and it holds at least {@code min_batch_size} reports. If not, the lease is released with a delay that
 * grows with each try ({@code min_collection_job_retry_delay_s} times
 * {@code collection_job_retry_delay_exponential_factor} per earlier try, capped at
 * {@code max_collection_job_retry_delay_s}). If it is complete, the same transaction merges every shard into the
 * Leader's aggregate share (VDAF merge, summed report count, XOR of checksums, union of client timestamp
 * intervals), marks all shards collected, creating the missing ones, and freezes that aggregate into the job
 * (state COLLECTING). From then on nothing can add to the batch: an aggregation job finishing later fails its
 * reports with {@code BATCH_COLLECTED}, the creator drops reports that arrive late for the batch, and every retry
 * sends the Helper the same frozen count and checksum.
 *
 * <p>Outside any transaction the Helper is then asked for its aggregate share with the Leader's report count and
 * checksum; a last transaction stores both shares and finishes the job through the lease. The Leader's share is
 * stored in the clear and sealed to the collector each time the collector polls (the aggregator's poll endpoint
 * does that, with the draft's HPKE info and AAD); the Helper's arrives sealed and is stored as it came.
 *
 * <p>A DAP-18 Helper may defer its answer; the helper polls for it until the deadline. If it is still not ready, the
 * lease is released until the Helper's {@code Retry-After} without counting a failed attempt, and the next step
 * asks again with the same request.
 *
 * <p>If the Helper refuses the share with a DAP problem (batchMismatch, invalidBatchSize, batchQueriedTooManyTimes,
 * ...; any 4xx but 429 and unauthorizedRequest), the job ends at once in state FAILED with that problem type, which
 * the Collector's polls then receive. Waiting for an incomplete batch is not a failure: that release restarts the lease attempt count. A step that
 * fails (Helper unreachable or refusing, deadline passed) releases its lease keeping the attempt count, with a delay
 * of {@link Settings#failureBackoff()}, and rethrows for the {@link JobDriver} to log and count; so a transient
 * Helper failure is retried within seconds, and, as in the aggregation job driver, a job leased more than
 * {@code maximum_attempts_before_failure} times without finishing is abandoned. A step whose lease was taken over
 * writes nothing; an interrupted step keeps its lease until it expires. Thread-safe.
 */
public final class CollectionJobDriver {
  private static final Logger LOG = Logger.getLogger(CollectionJobDriver.class.getName());

  /**
   * Tuning from the binary's configuration.
   *
   * @param batchAggregationShardCount shards per batch aggregation; at least every writer's value
   * @param maximumAttemptsBeforeFailure leases a job may take before it is abandoned
   * @param minRetryDelay the wait after the first try that found the batch incomplete
   * @param maxRetryDelay the longest wait between tries
   * @param retryDelayFactor how much longer each further wait is
   * @param failureBackoff how long a job whose step failed waits before its next lease, by attempt
   */
  public record Settings(int batchAggregationShardCount, int maximumAttemptsBeforeFailure,
      Duration minRetryDelay, Duration maxRetryDelay, double retryDelayFactor,
      FailureBackoff failureBackoff) {
    /** Validates the ranges. */
    public Settings {
      if (batchAggregationShardCount < 1 || maximumAttemptsBeforeFailure < 1 || minRetryDelay.isNegative()
          || maxRetryDelay.compareTo(minRetryDelay) < 0 || !(retryDelayFactor >= 1.0)) {
        throw new IllegalArgumentException("invalid collection job driver settings: " + batchAggregationShardCount
            + ", " + maximumAttemptsBeforeFailure + ", " + minRetryDelay + ", " + maxRetryDelay + ", "
            + retryDelayFactor);
      }
    }

    /** Settings with the default failure backoff ({@link FailureBackoff#DEFAULT}). */
    public Settings(int batchAggregationShardCount, int maximumAttemptsBeforeFailure,
        Duration minRetryDelay, Duration maxRetryDelay, double retryDelayFactor) {
      this(batchAggregationShardCount, maximumAttemptsBeforeFailure, minRetryDelay, maxRetryDelay, retryDelayFactor,
          FailureBackoff.DEFAULT);
    }

    /** The wait before the next try, after {@code attempts} tries (1 or more) found the batch incomplete. */
    public Duration retryDelay(long attempts) {
      double millis = minRetryDelay.toMillis() * Math.pow(retryDelayFactor, Math.max(0, attempts - 1));
      return millis >= maxRetryDelay.toMillis() ? maxRetryDelay : Duration.ofMillis((long) millis);
    }
  }

  /** The Leader's side of a complete batch, frozen in the job by the readiness transaction. */
  private record LeaderAggregate(Task task, CollectionJob job, CollectionJobState.Collecting frozen) {}

  private final Datastore datastore;
  private final Clock clock;
  private final TaskVdafs vdafs;
  private final AggregateShareHelper helper;
  private final Settings settings;
  private final Counter jobsFinished;
  private final Counter jobsAbandoned;
  private final Counter jobsFailed;
  private final Counter jobsNotReady;
  private final Counter leasesLost;

  /**
   * Creates a driver.
   *
   * @param datastore the Leader's database
   * @param clock the time the lease deadline is checked against
   * @param vdafs maps a task's VDAF to its implementation (production: {@link TaskVdafs#PRODUCTION})
   * @param helper the Helper's API, in the deployment's DAP draft
   * @param settings sharding, abandonment and retry delays
   * @param meters where {@code janus_collection_jobs{status}} and {@code janus_job_leases_lost{driver}} go
   */
  public CollectionJobDriver(Datastore datastore, Clock clock, TaskVdafs vdafs,
      AggregateShareHelper helper, Settings settings, MeterRegistry meters) {
    this.datastore = datastore;
    this.clock = clock;
    this.vdafs = vdafs;
    this.helper = helper;
    this.settings = settings;
    this.jobsFinished = counter(meters, "finished");
    this.jobsAbandoned = counter(meters, "abandoned");
    this.jobsFailed = counter(meters, "failed");
    this.jobsNotReady = counter(meters, "not_ready");
    this.leasesLost = Counter.builder("janus_job_leases_lost").description("Steps dropped because the lease was lost")
        .tag("driver", "collection_job_driver").register(meters);
  }

  private static Counter counter(MeterRegistry meters, String status) {
    return Counter.builder("janus_collection_jobs").description("Collection job steps, by outcome")
        .tag("status", status).register(meters);
  }

  /** A {@link JobDriver} that acquires and steps this driver's jobs. */
  public JobDriver<AcquiredCollectionJob> jobDriver(JobDriver.Settings jobSettings, MeterRegistry meters) {
    return new JobDriver<>("collection_job_driver", jobSettings, this::acquire, this::step, meters);
  }

  /** Leases up to {@code maxCount} collection jobs in state START. */
  public List<Lease<AcquiredCollectionJob>> acquire(Duration leaseDuration, int maxCount) {
    return datastore.run("acquire_collection_jobs", tx -> tx.collectionJobs().acquireIncomplete(leaseDuration,
        maxCount));
  }

  /**
   * Steps the job under {@code lease} (see the class comment).
   *
   * @param deadline no write is attempted after this instant
   * @throws io.janus.core.http.DapRequestException if the Helper could not be reached or refused the request (the
   *     lease was released for a retry after the backoff)
   * @throws InterruptedException if interrupted while talking to the Helper (the lease is kept)
   */
  public void step(Lease<AcquiredCollectionJob> lease, Instant deadline) throws InterruptedException {
    try {
      if (lease.attempts() > settings.maximumAttemptsBeforeFailure()) {
        abandon(lease);
        return;
      }
      Optional<LeaderAggregate> ready = datastore.run("step_collection_job_prepare", tx -> prepare(tx, lease,
          deadline));
      if (ready.isEmpty()) {
        return;
      }
      LeaderAggregate a = ready.get();
      HpkeCiphertext helperShare;
      try {
        helperShare = helper.aggregateShare(a.task(), a.job().batchIdentifier(), a.job().aggregationParameter(),
            a.frozen().reportCount(), a.frozen().checksum(), deadline);
      } catch (NotReadyException e) {
        deferred(lease, e);
        return;
      } catch (DapRequestException e) {
        Optional<DapProblemType> refusal = e.isFinalRefusal() ? e.problemType() : Optional.empty();
        if (refusal.isEmpty()) {
          throw e;
        }
        fail(lease, a.job(), refusal.get(), e);
        return;
      }
      datastore.run("step_collection_job_finish", tx -> {
        checkDeadline(deadline, a.job());
        tx.collectionJobs().update(a.job().withState(a.frozen().finishedWith(helperShare)), lease);
        tx.collectionJobs().release(lease, Duration.ZERO);
        return null;
      });
      jobsFinished.increment();
    } catch (LeaseLostException e) {
      leasesLost.increment();
      LOG.log(Level.INFO, "dropping the step of collection job " + lease.leased().jobId() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      releaseAfterFailure(lease, e);
      throw e;
    }
  }

  /**
   * The Helper accepted the aggregate share request but its answer was not ready by the deadline (DAP-18 section
   * 3.1): the lease is released until the Helper's {@code Retry-After}, without counting a failed attempt. The job
   * stays COLLECTING with its frozen aggregate, so the next step sends the same request, which the Helper maps to
   * the aggregate share it is preparing.
   */
  private void deferred(Lease<AcquiredCollectionJob> lease, NotReadyException e) {
    datastore.run("defer_collection_job", tx -> {
      tx.collectionJobs().release(lease, e.retryAfter());
      return null;
    });
    LOG.fine(() -> "collection job " + lease.leased().jobId() + ": the Helper's aggregate share is not ready; asking"
        + " again in " + e.retryAfter() + ": " + e.getMessage());
  }

  /**
   * Ends the job at once after the Helper refused its aggregate share with a DAP problem (draft 09 sections 4.6.1
   * and 4.6.5: the Leader answers later polls with that error). The same request would be refused again, so
   * retrying to the attempt limit would only hide the reason from the Collector.
   */
  private void fail(Lease<AcquiredCollectionJob> lease, CollectionJob job, DapProblemType type,
      DapRequestException e) {
    String detail = "The Helper refused the aggregate share (" + type.errorName() + ").";
    datastore.run("fail_collection_job", tx -> {
      tx.collectionJobs().update(job.withState(new CollectionJobState.Failed(type.errorName(), detail)), lease);
      tx.collectionJobs().release(lease, Duration.ZERO);
      return null;
    });
    jobsFailed.increment();
    LOG.warning(() -> "collection job " + job.id() + " of task " + job.taskId() + " failed: " + e.getMessage());
  }

  /**
   * Gives a failed step's lease back, keeping the attempt count, so the job is leased again after the backoff for
   * this attempt. If that fails too, the lease is simply left to expire: the release failure is attached to the
   * step's.
   */
  private void releaseAfterFailure(Lease<AcquiredCollectionJob> lease, RuntimeException failure) {
    Duration delay = settings.failureBackoff().delay(lease.attempts());
    try {
      datastore.run("release_failed_collection_job", tx -> {
        tx.collectionJobs().releaseKeepingAttempts(lease, delay);
        return null;
      });
      LOG.fine(() -> "step of collection job " + lease.leased().jobId() + " failed on attempt " + lease.attempts()
          + "; retrying in " + delay);
    } catch (LeaseLostException e) {
      // Another worker holds the job now: there is nothing to give back.
      leasesLost.increment();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The readiness transaction: empty if the job needs no work now (gone, ended, or its batch incomplete, in which
   * case the lease was released with a delay); otherwise the Leader's frozen aggregate. The first time the batch is
   * found ready its aggregate is frozen into the job (state COLLECTING) and its shards are marked collected, in the
   * same transaction; every later try reuses the frozen aggregate, so what the Helper is asked to match never
   * changes.
   */
  private Optional<LeaderAggregate> prepare(Tx tx, Lease<AcquiredCollectionJob> lease, Instant deadline) {
    AcquiredCollectionJob a = lease.leased();
    Optional<Task> task = tx.tasks().get(a.taskId());
    Optional<CollectionJob> job = tx.collectionJobs().get(a.taskId(), a.jobId());
    if (task.isEmpty() || job.isEmpty()) {
      tx.collectionJobs().release(lease, Duration.ZERO);
      return Optional.empty();
    }
    if (job.get().state() instanceof CollectionJobState.Collecting c) {
      checkDeadline(deadline, job.get());
      return Optional.of(new LeaderAggregate(task.get(), job.get(), c));
    }
    if (!(job.get().state() instanceof CollectionJobState.Start)) {
      tx.collectionJobs().release(lease, Duration.ZERO);
      return Optional.empty();
    }
    checkDeadline(deadline, job.get());
    // Every try counts (through the lease): the count sets the next retry delay.
    long tries = tx.collectionJobs().incrementStepAttempts(lease);
    Task t = task.get();
    CollectionJob j = job.get();
    byte[] param = j.aggregationParameter();
    List<BatchAggregation> shards = shards(tx, t, j);
    long created = 0;
    long terminated = 0;
    for (BatchAggregation b : shards) {
      created += b.aggregationJobsCreated();
      terminated += b.aggregationJobsTerminated();
    }
    AggregationJobCounts counts = new AggregationJobCounts(created, terminated);
    long waiting = j.batchIdentifier().interval()
        .map(i -> tx.clientReports().countUnaggregatedInInterval(t.id(), i)).orElse(0L);
    long reportCount = shards.stream().mapToLong(BatchAggregation::reportCount).sum();
    if (!counts.allTerminated() || waiting > 0 || reportCount < t.minBatchSize()) {
      Duration delay = settings.retryDelay(tries);
      LOG.fine(() -> "collection job " + j.id() + " not ready (jobs " + counts + ", " + waiting
          + " reports waiting, " + reportCount + " aggregated); retrying in " + delay);
      tx.collectionJobs().release(lease, delay);
      jobsNotReady.increment();
      return Optional.empty();
    }
    PingPongVdaf vdaf = vdafs.of(t);
    byte[] share = vdaf.emptyAggregateShare(param);
    ReportIdChecksum checksum = ReportIdChecksum.empty();
    Interval interval = Interval.EMPTY;
    for (BatchAggregation b : shards) {
      if (b.aggregateShare().isPresent()) {
        try {
          share = vdaf.merge(param, share, b.aggregateShare().get());
        } catch (VdafException e) {
          throw new IllegalStateException("a stored aggregate share of task " + t.id() + " does not decode", e);
        }
      }
      checksum = checksum.combinedWith(ReportIdChecksum.decode(b.checksum()));
      interval = interval.mergedWith(b.clientTimestampInterval());
    }
    markCollected(tx, j, shards);
    CollectionJobState.Collecting frozen = new CollectionJobState.Collecting(reportCount, interval, share,
        checksum.encode());
    CollectionJob collecting = j.withState(frozen);
    tx.collectionJobs().update(collecting, lease);
    return Optional.of(new LeaderAggregate(t, collecting, frozen));
  }

  /** Every shard of the job's batch: all time-precision batches inside a time-interval query's interval. */
  private static List<BatchAggregation> shards(Tx tx, Task task, CollectionJob job) {
    return switch (job.batchIdentifier()) {
      case BatchIdentifier.TimeInterval t ->
          tx.batchAggregations().getAllInInterval(task.id(), t.batchInterval(), job.aggregationParameter());
      case BatchIdentifier.FixedSize f ->
          tx.batchAggregations().getAll(task.id(), job.batchIdentifier(), job.aggregationParameter());
    };
  }

  /**
   * Marks every shard of every batch the job covers collected, creating the missing shards in that state. For a
   * time-interval query these are the time-precision batches that hold shards; a bucket nobody wrote to has no
   * reports (none waits for a job either), and its shards are not created, so a collector's huge interval costs
   * no more than the data in it.
   */
  private void markCollected(Tx tx, CollectionJob job, List<BatchAggregation> shards) {
    byte[] param = job.aggregationParameter();
    java.util.Set<BatchIdentifier> batches = new java.util.LinkedHashSet<>();
    if (job.batchIdentifier() instanceof BatchIdentifier.FixedSize) {
      batches.add(job.batchIdentifier());
    } else {
      for (BatchAggregation b : shards) {
        batches.add(b.batchIdentifier());
      }
    }
    for (BatchIdentifier b : batches) {
      markCollected(tx, job.taskId(), b, param);
    }
  }

  private void markCollected(Tx tx, io.janus.messages.TaskId taskId, BatchIdentifier batch, byte[] param) {
    tx.batchAggregations().markCollected(taskId, batch, param);
    tx.batchAggregations().createMissingShards(taskId, batch, param, settings.batchAggregationShardCount(),
        BatchAggregationState.COLLECTED);
  }

  private void checkDeadline(Instant deadline, CollectionJob job) {
    if (clock.nowMillis() > deadline.toEpochMilli()) {
      throw new IllegalStateException("the lease deadline of collection job " + job.id() + " passed");
    }
  }

  private void abandon(Lease<AcquiredCollectionJob> lease) {
    boolean abandoned = datastore.run("abandon_collection_job", tx -> {
      Optional<CollectionJob> job = tx.collectionJobs().get(lease.leased().taskId(), lease.leased().jobId());
      boolean incomplete = job.isPresent() && (job.get().state() instanceof CollectionJobState.Start
          || job.get().state() instanceof CollectionJobState.Collecting);
      if (incomplete) {
        long tries = lease.attempts() - 1;
        String attempts = tries == 1 ? "1 attempt" : tries + " attempts";
        String reason = job.get().state() instanceof CollectionJobState.Collecting
            ? "The Helper's aggregate share could not be obtained in " + attempts + "."
            : "The batch could not be prepared for collection in " + attempts + ".";
        tx.collectionJobs().update(job.get().withState(new CollectionJobState.Abandoned(reason)), lease);
      }
      tx.collectionJobs().release(lease, Duration.ZERO);
      return incomplete;
    });
    if (abandoned) {
      jobsAbandoned.increment();
      LOG.warning(() -> "abandoned collection job " + lease.leased().jobId() + " of task " + lease.leased().taskId()
          + " after " + lease.attempts() + " attempts");
    }
  }
}
