package io.janus.aggregator;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.server.config.TaskprovConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DAP aggregator's protocol logic for both roles, independent of any draft's wire format. Each draft's HTTP
 * service decodes its messages into the records this class takes, passes its {@link ProtocolVersion}, and encodes
 * the results.
 *
 * <p>Every method either returns or throws a {@link DapException} describing a protocol failure; any other
 * exception is an internal error. Thread-safe. {@link #close()} flushes the upload batcher.
 */
public final class Aggregator implements AutoCloseable {
  /**
   * Tuning of the aggregator, from {@link AggregatorConfig}.
   *
   * @param maxUploadBatchSize the most reports written per upload transaction
   * @param maxUploadBatchWriteDelayMs how long an upload may wait while every upload writer is busy
   * @param batchAggregationShardCount shards per batch aggregation
   * @param taskCounterShardCount shards per task counter row
   * @param taskCacheTtlMillis how long a cached task is used
   * @param taskCacheCapacity how many tasks are cached
   * @param hpkeKeysRefreshMillis how often the global HPKE keys are re-read
   * @param collectionPollRetryAfterSeconds the {@code Retry-After} of a pending collection job whose next attempt
   *     is not scheduled yet (one that waits out a failure's backoff answers with that time instead)
   * @param taskprov in-band task provisioning
   */
  public record Settings(int maxUploadBatchSize, long maxUploadBatchWriteDelayMs, int batchAggregationShardCount,
      int taskCounterShardCount, long taskCacheTtlMillis, int taskCacheCapacity, long hpkeKeysRefreshMillis,
      long collectionPollRetryAfterSeconds, TaskprovConfig taskprov, HelperAggregationMode helperAggregationMode,
      java.time.Duration helperWorkerPollInterval) {
    /** Settings without the DAP-18 Helper's mode: synchronous. */
    public Settings(int maxUploadBatchSize, long maxUploadBatchWriteDelayMs, int batchAggregationShardCount,
        int taskCounterShardCount, long taskCacheTtlMillis, int taskCacheCapacity, long hpkeKeysRefreshMillis,
        long collectionPollRetryAfterSeconds, TaskprovConfig taskprov) {
      this(maxUploadBatchSize, maxUploadBatchWriteDelayMs, batchAggregationShardCount, taskCounterShardCount,
          taskCacheTtlMillis, taskCacheCapacity, hpkeKeysRefreshMillis, collectionPollRetryAfterSeconds, taskprov,
          HelperAggregationMode.SYNCHRONOUS, HELPER_WORKER_POLL_INTERVAL);
    }

    /** Validates the ranges. */
    public Settings {
      java.util.Objects.requireNonNull(helperAggregationMode, "helperAggregationMode");
      if (helperWorkerPollInterval.isNegative()) {
        throw new IllegalArgumentException("helper worker poll interval must not be negative");
      }
      if (maxUploadBatchSize < 1 || maxUploadBatchWriteDelayMs < 0 || batchAggregationShardCount < 1
          || taskCounterShardCount < 1 || taskCacheTtlMillis < 0 || taskCacheCapacity < 1
          || hpkeKeysRefreshMillis < 0 || collectionPollRetryAfterSeconds < 1) {
        throw new IllegalArgumentException("invalid aggregator settings: " + maxUploadBatchSize + ", "
            + maxUploadBatchWriteDelayMs + ", " + batchAggregationShardCount + ", " + taskCounterShardCount + ", "
            + taskCacheTtlMillis + ", " + taskCacheCapacity + ", " + hpkeKeysRefreshMillis + ", "
            + collectionPollRetryAfterSeconds);
      }
    }

    /** Settings with the default collection poll interval and taskprov off. */
    public Settings(int maxUploadBatchSize, long maxUploadBatchWriteDelayMs, int batchAggregationShardCount,
        int taskCounterShardCount, long taskCacheTtlMillis, int taskCacheCapacity, long hpkeKeysRefreshMillis) {
      this(maxUploadBatchSize, maxUploadBatchWriteDelayMs, batchAggregationShardCount, taskCounterShardCount,
          taskCacheTtlMillis, taskCacheCapacity, hpkeKeysRefreshMillis,
          AggregatorServer.COLLECTION_POLL_RETRY_AFTER_SECONDS, TaskprovConfig.DISABLED);
    }

    /** The settings in {@code config}. */
    public static Settings of(AggregatorConfig config) {
      return new Settings(config.maxUploadBatchSize(), config.maxUploadBatchWriteDelayMs(),
          config.batchAggregationShardCount(), config.taskCounterShardCount(),
          Math.multiplyExact(config.taskCacheTtlS(), 1000L), config.taskCacheCapacity(),
          config.hpkeConfigsRefreshInterval(), config.collectionPollRetryAfterS(), config.taskprov(),
          config.helperAggregationMode(), HELPER_WORKER_POLL_INTERVAL);
    }

    /** The same settings with {@code taskprov}. */
    public Settings withTaskprov(TaskprovConfig v) {
      return new Settings(maxUploadBatchSize, maxUploadBatchWriteDelayMs, batchAggregationShardCount,
          taskCounterShardCount, taskCacheTtlMillis, taskCacheCapacity, hpkeKeysRefreshMillis,
          collectionPollRetryAfterSeconds, v, helperAggregationMode, helperWorkerPollInterval);
    }

    /**
     * The same settings with the DAP-18 Helper in {@code mode}; the worker polls every {@code pollInterval} (zero:
     * no polling thread, tests call {@link Aggregator#runHelperWork()}).
     */
    public Settings withHelperAggregationMode(HelperAggregationMode mode, java.time.Duration pollInterval) {
      return new Settings(maxUploadBatchSize, maxUploadBatchWriteDelayMs, batchAggregationShardCount,
          taskCounterShardCount, taskCacheTtlMillis, taskCacheCapacity, hpkeKeysRefreshMillis,
          collectionPollRetryAfterSeconds, taskprov, mode, pollInterval);
    }
  }

  /** How often an asynchronous Helper's worker looks for requests accepted by other replicas. */
  static final java.time.Duration HELPER_WORKER_POLL_INTERVAL = java.time.Duration.ofSeconds(1);
  /** How long a worker's lease on a deferred request lasts. */
  static final java.time.Duration HELPER_WORKER_LEASE = java.time.Duration.ofMinutes(10);

  private final TaskCache cache;
  private final HelperAggregationMode helperMode;
  private final Optional<HelperAggregationWorker> worker;
  private final ReportUploader uploader;
  private final HelperAggregator helper;
  private final HelperAggregateShares aggregateShares;
  private final LeaderCollectionJobs collectionJobs;
  private final TaskprovProvisioner taskprov;

  /**
   * Creates the aggregator and starts its upload batcher.
   *
   * @param datastore the database
   * @param clock the time source for report-time checks
   * @param vdafs maps a task's VDAF to its implementation (production: {@link TaskVdafs#PRODUCTION})
   * @param settings batching, sharding and caching
   */
  public Aggregator(Datastore datastore, Clock clock, TaskVdafs vdafs,
      Settings settings) {
    this.cache = new TaskCache(datastore, clock, settings.taskCacheTtlMillis(), settings.taskCacheCapacity(),
        settings.hpkeKeysRefreshMillis());
    this.uploader = new ReportUploader(datastore, cache, clock, vdafs, settings.maxUploadBatchSize(),
        settings.maxUploadBatchWriteDelayMs(), settings.taskCounterShardCount());
    this.helper = new HelperAggregator(datastore, clock, vdafs, settings.batchAggregationShardCount(),
        settings.taskCounterShardCount());
    this.aggregateShares = new HelperAggregateShares(datastore, vdafs);
    this.collectionJobs = new LeaderCollectionJobs(datastore, vdafs, clock,
        settings.collectionPollRetryAfterSeconds());
    this.taskprov = new TaskprovProvisioner(datastore, vdafs, settings.taskprov());
    this.helperMode = settings.helperAggregationMode();
    // Every replica works off deferred requests while any replica may accept them.
    this.worker = helperMode == HelperAggregationMode.ASYNCHRONOUS
        ? Optional.of(new HelperAggregationWorker(datastore, helper, HELPER_WORKER_LEASE,
            settings.helperWorkerPollInterval()))
        : Optional.empty();
  }

  /** How the DAP-18 Helper answers aggregation job requests. */
  public HelperAggregationMode helperAggregationMode() {
    return helperMode;
  }

  /**
   * Registers a draft whose HTTP service is served: the asynchronous Helper's worker does deferred requests of that
   * draft's tasks.
   */
  public void serve(ProtocolVersion version) {
    worker.ifPresent(w -> w.register(version));
  }

  /**
   * Helper (asynchronous mode): accepts an aggregation job initialization to do later; a retry of an accepted or
   * done request is accepted again.
   */
  public void enqueueAggregationJobInit(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Optional<AuthenticationToken> auth, AggregationJobInit init, byte[] requestHash) {
    helper.enqueueInit(version, taskId, jobId, auth, init, requestHash);
    worker.ifPresent(HelperAggregationWorker::wakeUp);
  }

  /** Helper (asynchronous mode): accepts an aggregation job continuation to do later. */
  public void enqueueAggregationJobContinue(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Optional<AuthenticationToken> auth, AggregationJobContinue request, byte[] requestHash) {
    helper.enqueueContinue(version, taskId, jobId, auth, request, requestHash);
    worker.ifPresent(HelperAggregationWorker::wakeUp);
  }

  /**
   * Does the deferred Helper requests whose lease expired, once (asynchronous mode; a no-op otherwise).
   *
   * @return how many requests were leased
   */
  public int runHelperWork() {
    return worker.map(HelperAggregationWorker::runOnce).orElse(0);
  }

  /** True if this aggregator provisions tasks in-band ({@code taskprov_config.enabled}). */
  public boolean taskprovEnabled() {
    return taskprov.enabled();
  }

  /**
   * The HPKE configurations clients should encrypt to, most preferred first: the task's own keys if it has any,
   * else the active global keys. With taskprov enabled the global keys are served whatever the task, as in Janus:
   * a Client asks before its task exists here, and tasks provisioned in-band have no keys of their own.
   *
   * @param taskId the task named in the request, if any
   * @throws DapException.UnrecognizedTask if {@code taskId} names no task
   * @throws DapException.MissingTaskId if no task is named and there are no global keys
   */
  public List<HpkeConfig> hpkeConfigs(ProtocolVersion version, Optional<TaskId> taskId) {
    List<HpkeConfig> configs = new ArrayList<>();
    if (taskId.isPresent() && !taskprov.enabled()) {
      Task task = cache.task(taskId.get()).filter(t -> t.protocol() == version.dapVersion())
          .orElseThrow(() -> new DapException.UnrecognizedTask(taskId.get()));
      for (HpkeKeypair k : task.hpkeKeys()) {
        configs.add(k.config());
      }
      if (!configs.isEmpty()) {
        return configs;
      }
    }
    for (GlobalHpkeKeypair k : cache.globalKeys()) {
      if (TaskAccess.advertised(k)) {
        configs.add(k.keypair().config());
      }
    }
    if (configs.isEmpty()) {
      if (taskId.isEmpty() || taskprov.enabled()) {
        throw new DapException.MissingTaskId();
      }
      throw new IllegalStateException("task " + taskId.get() + " has no HPKE key and there is no active global key");
    }
    return configs;
  }

  /**
   * Checks, before a request's body is read, that this aggregator serves {@code taskId} in {@code role} on this
   * draft's routes and, for the endpoints that need one, that the request carries the right token: the Leader's
   * token on the Helper's endpoints, the Collector's on the Leader's collection endpoints. The order is route,
   * task, authentication, then Content-Type and body, so an unauthenticated request never costs a body read or a
   * decode. Uses the task cache; the transaction that serves the request checks again.
   *
   * @param needsToken false for endpoints open to any client (uploads)
   * @throws DapException.UnrecognizedTask if the task is unknown here in this role and draft
   * @return the task, as cached
   * @throws DapException.UnauthorizedRequest if a needed token is absent or wrong
   */
  public Task authorize(ProtocolVersion version, TaskId taskId, Role role, boolean needsToken,
      Optional<AuthenticationToken> auth) {
    return authorize(version, taskId, role, needsToken, auth, Optional.empty());
  }

  /**
   * The DAP draft of the task {@code taskId}, from the task cache, if the task is known here: what a request to a
   * route both drafts share is dispatched by.
   */
  public Optional<io.janus.core.task.DapVersion> protocolOf(TaskId taskId) {
    return cache.task(taskId).map(Task::protocol);
  }

  /**
   * {@link #authorize}, provisioning the task first if it is unknown here and the request carries its in-band
   * configuration (taskprov enabled): the Leader on upload, the Helper on aggregation job initialization. The peer
   * named in the configuration must be configured, and on the Helper the Leader's token must be one of that peer's
   * before anything is stored.
   *
   * @throws DapException.InvalidTask if this aggregator opts out of the task (no such peer, unsupported VDAF or
   *     DP mechanism, invalid parameters)
   */
  public Task authorize(ProtocolVersion version, TaskId taskId, Role role, boolean needsToken,
      Optional<AuthenticationToken> auth, Optional<TaskprovRequest> inBand) {
    Optional<Task> known = cache.task(taskId);
    if (known.isEmpty() && inBand.isPresent() && taskprov.enabled()) {
      taskprov.provision(version, taskId, role, auth, inBand.get());
      known = cache.task(taskId);
    }
    Task task = known.filter(t -> TaskAccess.serves(t, role, version))
        .orElseThrow(() -> new DapException.UnrecognizedTask(taskId));
    if (!needsToken) {
      return task;
    }
    if (role == Role.HELPER) {
      TaskAccess.authorizeLeader(task, auth);
    } else {
      TaskAccess.authorizeCollector(task, auth);
    }
    return task;
  }

  /**
   * Leader: accepts one client report; returns once it is stored (a duplicate counts as stored).
   *
   * <p>Fails, as draft 09 section 4.4.2 prescribes, with {@link DapException.UnrecognizedTask},
   * {@link DapException.OutdatedConfig}, {@link DapException.ReportTooEarly}, {@link DapException.ReportRejected}
   * (expired task or report, undecryptable share, collected batch) or {@link DapException.InvalidMessage}
   * (undecodable share, unknown or repeated extension).
   */
  public void upload(ProtocolVersion version, TaskId taskId, ReportUpload upload) {
    uploader.upload(version, taskId, upload);
  }

  /**
   * Leader: accepts many client reports of one task (DAP-18 bulk upload); returns once every accepted report is
   * stored.
   *
   * @return per report, in request order, why it was refused, or empty if it was stored
   * @throws DapException.UnrecognizedTask if the task is unknown here in this role and draft
   */
  public List<Optional<ReportFailure>> uploadAll(ProtocolVersion version, TaskId taskId, List<ReportUpload> uploads) {
    return uploader.uploadAll(version, taskId, uploads);
  }

  /**
   * Helper: the answer an aggregation job gave at {@code step} (a Leader's poll).
   *
   * @return empty while an accepted request for {@code step} is not done (asynchronous mode)
   * @throws DapException.StepMismatch if the job is not at {@code step} and will not get there
   */
  public Optional<List<PrepareOutcome>> aggregationJobAnswer(ProtocolVersion version, TaskId taskId,
      AggregationJobId jobId, Optional<AuthenticationToken> auth, int step) {
    return helper.answerAt(version, taskId, jobId, auth, step);
  }

  /** Helper: the aggregate share already computed for {@code batch}, sealed to the Collector again. */
  public HpkeCiphertext storedAggregateShare(ProtocolVersion version, TaskId taskId,
      Optional<AuthenticationToken> auth, BatchSelector batch, byte[] aggregationParameter) {
    return aggregateShares.storedShare(version, taskId, auth, batch, aggregationParameter);
  }

  /**
   * Helper: starts an aggregation job, or answers a retry of the request that started it.
   *
   * @param requestHash SHA-256 of the request body, to recognize retries
   * @return one outcome per report, in request order
   */
  public List<PrepareOutcome> initializeAggregationJob(ProtocolVersion version, TaskId taskId,
      AggregationJobId jobId, Optional<AuthenticationToken> auth, AggregationJobInit init, byte[] requestHash) {
    return helper.initialize(version, taskId, jobId, auth, init, requestHash);
  }

  /**
   * Helper: advances an aggregation job by one step, or answers a retry of the last step.
   *
   * @param requestHash SHA-256 of the request body, to recognize retries
   * @return one outcome per continued report, in request order
   */
  public List<PrepareOutcome> continueAggregationJob(ProtocolVersion version, TaskId taskId,
      AggregationJobId jobId, Optional<AuthenticationToken> auth, AggregationJobContinue request,
      byte[] requestHash) {
    return helper.continueJob(version, taskId, jobId, auth, request, requestHash);
  }

  /** Helper: marks an aggregation job deleted; deleting twice is not an error. */
  public void deleteAggregationJob(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Optional<AuthenticationToken> auth) {
    helper.delete(version, taskId, jobId, auth);
  }

  /** Helper: the aggregate share of a batch, sealed to the Collector. */
  public HpkeCiphertext aggregateShare(ProtocolVersion version, TaskId taskId, Optional<AuthenticationToken> auth,
      AggregateShareRequest request) {
    return aggregateShares.aggregateShare(version, taskId, auth, request);
  }

  /** Leader: creates a collection job; repeating the same request is not an error. */
  public void createCollectionJob(ProtocolVersion version, TaskId taskId, CollectionJobId jobId,
      Optional<AuthenticationToken> auth, CollectionRequest request) {
    collectionJobs.create(version, taskId, jobId, auth, request);
  }

  /** Leader: where a collection job stands; a finished job's shares are sealed to the Collector. */
  public CollectionJobStatus pollCollectionJob(ProtocolVersion version, TaskId taskId, CollectionJobId jobId,
      Optional<AuthenticationToken> auth) {
    return collectionJobs.poll(version, taskId, jobId, auth);
  }

  /** Leader: marks a collection job deleted. */
  public void deleteCollectionJob(ProtocolVersion version, TaskId taskId, CollectionJobId jobId,
      Optional<AuthenticationToken> auth) {
    collectionJobs.delete(version, taskId, jobId, auth);
  }

  /** Writes the uploads still queued and stops the upload batcher. */
  @Override
  public void close() {
    worker.ifPresent(HelperAggregationWorker::close);
    uploader.close();
  }
}
