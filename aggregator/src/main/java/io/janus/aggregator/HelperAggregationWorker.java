package io.janus.aggregator;

import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.TaskId;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.HelperAggregationRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Does the Helper's deferred aggregation job requests (asynchronous mode): leases rows of
 * {@code helper_aggregation_requests} as the job drivers lease jobs, runs each through {@link HelperAggregator} as
 * if it had just arrived, and deletes the row once its answer is stored. Every replica runs one; they coordinate
 * only through the leases in PostgreSQL. A replica that dies mid-work loses its lease, and another one redoes the
 * request: the job's stored request hash turns a redo of committed work into a replay of the stored answer.
 *
 * <p>A request that fails with a {@link DapException} keeps its row, marked with the failure, which a poll of that
 * step answers. One that fails otherwise (a bug, the database) is retried when its lease expires, up to
 * {@link #MAX_ATTEMPTS} times, and then marked as an internal failure (polls answer 500).
 */
final class HelperAggregationWorker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HelperAggregationWorker.class.getName());

  /** How many times a request is leased before an internal failure is final. */
  static final long MAX_ATTEMPTS = 5;
  /** The failure kind of a request given up after {@link #MAX_ATTEMPTS} internal failures. */
  static final String INTERNAL = "Internal";

  private static final int BATCH = 8;

  private final Datastore datastore;
  private final HelperAggregator helper;
  private final Duration leaseDuration;
  private final Map<DapVersion, ProtocolVersion> versions = new ConcurrentHashMap<>();
  private final Semaphore wakeUp = new Semaphore(0);
  private final Optional<Thread> thread;
  private volatile boolean stopped;

  /**
   * Creates the worker; with a positive {@code pollInterval} it starts polling on a thread of its own.
   *
   * @param leaseDuration how long a lease lasts: longer than any request takes
   * @param pollInterval how long to wait between polls that found nothing; zero starts no thread ({@link #runOnce}
   *     is then called by hand, as tests do)
   */
  HelperAggregationWorker(Datastore datastore, HelperAggregator helper, Duration leaseDuration,
      Duration pollInterval) {
    this.datastore = datastore;
    this.helper = helper;
    this.leaseDuration = leaseDuration;
    if (pollInterval.isPositive()) {
      this.thread = Optional.of(Thread.ofVirtual().name("helper-aggregation-worker").start(() -> loop(pollInterval)));
    } else {
      this.thread = Optional.empty();
    }
  }

  /** Lets the worker do requests of tasks of {@code version}'s draft. */
  void register(ProtocolVersion version) {
    versions.put(version.dapVersion(), version);
  }

  /** Asks the worker to poll now (a request was just accepted here). */
  void wakeUp() {
    wakeUp.release();
  }

  private void loop(Duration pollInterval) {
    while (!stopped) {
      int done;
      try {
        done = runOnce();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "helper aggregation worker: polling failed", e);
        done = 0;
      }
      if (done == 0) {
        try {
          wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
          wakeUp.drainPermits();
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /**
   * Leases up to a few requests whose lease expired and does them.
   *
   * @return how many requests were leased
   */
  int runOnce() {
    if (versions.isEmpty()) {
      // The HTTP services are not registered yet: nothing could be done without them.
      return 0;
    }
    List<HelperAggregationRequest.Leased> leased = datastore.run("helper_requests_acquire",
        tx -> tx.helperAggregationRequests().acquire(leaseDuration, BATCH));
    for (HelperAggregationRequest.Leased l : leased) {
      process(l);
    }
    return leased.size();
  }

  private void process(HelperAggregationRequest.Leased leased) {
    HelperAggregationRequest r = leased.request();
    try {
      Optional<Task> task = datastore.run("helper_request_task", tx -> tx.tasks().get(r.taskId()));
      if (task.isEmpty()) {
        throw new DapException.UnrecognizedTask(r.taskId());
      }
      ProtocolVersion version = versions.get(task.get().protocol());
      if (version == null) {
        throw new IllegalStateException("no service for " + task.get().protocol().text() + " is registered");
      }
      if (r.step() == 0) {
        helper.initialize(version, r.taskId(), r.jobId(), t -> { }, HelperRequestCodec.decodeInit(r.request()),
            r.requestHash());
      } else {
        helper.continueJob(version, r.taskId(), r.jobId(), t -> { },
            HelperRequestCodec.decodeContinue(r.request()), r.requestHash());
      }
      datastore.run("helper_request_done", tx -> tx.helperAggregationRequests().delete(leased));
    } catch (DapException e) {
      fail(leased, new HelperAggregationRequest.Failure(e.getClass().getSimpleName(), e.detail()));
    } catch (RuntimeException e) {
      // DecodeException lands here too: a stored request that does not read back is a bug, not the Leader's fault.
      LOG.log(System.Logger.Level.ERROR, "helper aggregation request " + r + " failed (attempt "
          + leased.attempts() + ")", e);
      if (leased.attempts() >= MAX_ATTEMPTS) {
        fail(leased, new HelperAggregationRequest.Failure(INTERNAL, "The request could not be processed."));
      }
    }
  }

  private void fail(HelperAggregationRequest.Leased leased, HelperAggregationRequest.Failure failure) {
    try {
      datastore.run("helper_request_fail", tx -> tx.helperAggregationRequests().fail(leased, failure));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not record the failure of " + leased.request(), e);
    }
  }

  /**
   * The exception a poll of a failed request answers with, rebuilt from its stored kind and detail.
   *
   * @throws IllegalStateException for an internal failure (the poll answers 500)
   */
  static DapException failure(TaskId taskId, AggregationJobId jobId, HelperAggregationRequest.Failure failure) {
    String detail = failure.detail();
    return switch (failure.kind()) {
      case "InvalidMessage" -> new DapException.InvalidMessage(taskId, detail);
      case "InvalidAggregationParameter" -> new DapException.InvalidAggregationParameter(taskId, detail);
      case "UnrecognizedTask" -> new DapException.UnrecognizedTask(taskId);
      case "UnrecognizedAggregationJob" -> new DapException.UnrecognizedAggregationJob(taskId, jobId);
      case "DeletedAggregationJob" -> new DapException.DeletedAggregationJob(taskId, jobId);
      case "StepMismatch" -> new DapException.StepMismatch(taskId, detail);
      case INTERNAL -> throw new IllegalStateException("aggregation job " + jobId + " of task " + taskId
          + " failed internally");
      default -> new DapException.ForbiddenMutation(taskId, detail);
    };
  }

  /** Stops the polling thread, if any, after the request it is doing. */
  @Override
  public void close() {
    stopped = true;
    wakeUp.release();
    thread.ifPresent(t -> {
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
