package io.janus.aggregator;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.AggregationJobState;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.HelperAggregationRequest;
import io.janus.server.datastore.model.PrepareResult;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.server.datastore.model.ReportTimestamp;
import io.janus.server.datastore.model.TaskAggregationCounter;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.server.job.AggregationStepWriter;
import io.janus.server.job.ParallelPreparation;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.DecodeException;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.vdaf.VdafException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The Helper's side of aggregation jobs (draft-ietf-ppm-dap-09 sections 4.5.1.2 and 4.5.2.2): initialization,
 * continuation and deletion. At initialization the CPU work (HPKE, VDAF preparation) runs outside transactions, over
 * the job's reports in parallel ({@link ParallelPreparation}); the transaction that stores the job re-checks for a
 * concurrent creation, replays and collected batches, and writes through the {@link AggregationStepWriter} the
 * Leader's driver uses too. A continuation (multi-round VDAFs only; Prio3 finishes at initialization) prepares
 * inside its transaction, which reads the stored preparation state.
 *
 * <p>Requests are idempotent: the SHA-256 of the last request body is stored with the job, so a retried request
 * gets the stored answer and a different request for the same job and step is a 409 Conflict.
 */
final class HelperAggregator {

  private final Datastore datastore;
  private final Clock clock;
  private final TaskVdafs vdafs;
  private final int batchAggregationShardCount;
  private final int taskCounterShardCount;

  HelperAggregator(Datastore datastore, Clock clock, TaskVdafs vdafs,
      int batchAggregationShardCount, int taskCounterShardCount) {
    this.datastore = datastore;
    this.clock = clock;
    this.vdafs = vdafs;
    this.batchAggregationShardCount = batchAggregationShardCount;
    this.taskCounterShardCount = taskCounterShardCount;
  }

  /** The outcome of preparing one report outside the transaction. */
  private record Prepared(ReportId reportId, Time time, Optional<ReportFailure> failure,
      Optional<PingPongVdaf.Transition> transition) {
    static Prepared failed(ReportId id, Time time, ReportFailure f) {
      return new Prepared(id, time, Optional.of(f), Optional.empty());
    }
  }

  private record InitContext(Task task, Optional<List<PrepareOutcome>> replay, Map<Integer, HpkeKeypair> keys) {}

  List<PrepareOutcome> initialize(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Optional<AuthenticationToken> auth, AggregationJobInit init, byte[] requestHash) {
    return initialize(version, taskId, jobId, task -> TaskAccess.authorizeLeader(task, auth), init, requestHash);
  }

  /**
   * {@link #initialize}, with {@code authorize} checking the request's authentication against the task (a deferred
   * request was authenticated when it was accepted, so its worker passes a no-op).
   */
  List<PrepareOutcome> initialize(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Consumer<Task> authorize, AggregationJobInit init, byte[] requestHash) {
    Set<Integer> configIds = new HashSet<>();
    for (AggregationJobInit.PrepareInit p : init.prepareInits()) {
      configIds.add(p.reportShare().encryptedInputShare().configId());
    }
    InitContext ctx = datastore.run("aggregate_init_get_task", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.HELPER, version);
      authorize.accept(task);
      Optional<List<PrepareOutcome>> replay = existingJobAnswer(tx, taskId, jobId, requestHash);
      return new InitContext(task, replay, TaskAccess.keypairs(tx, task, configIds));
    });
    if (ctx.replay().isPresent()) {
      return ctx.replay().get();
    }
    Task task = ctx.task();
    PingPongVdaf vdaf = checkInit(task, init);
    byte[] aggParam = init.aggregationParameter();

    Time now = clock.now();
    List<Prepared> prepared = ParallelPreparation.map(init.prepareInits(),
        p -> prepare(version, task, vdaf, aggParam, ctx.keys(), now, p));

    return datastore.run("aggregate_init", tx -> {
      // A concurrent request may have created the job since the first look.
      Optional<List<PrepareOutcome>> replay = existingJobAnswer(tx, taskId, jobId, requestHash);
      if (replay.isPresent()) {
        return replay.get();
      }
      return storeNewJob(tx, task, vdaf, jobId, init, requestHash, prepared);
    });
  }

  /**
   * The checks of an initialization that fail the whole job: the batch mode, distinct report IDs, the aggregation
   * parameter.
   *
   * @return the task's VDAF
   */
  private PingPongVdaf checkInit(Task task, AggregationJobInit init) {
    TaskId taskId = task.id();
    boolean fixedSize = task.queryType() instanceof QueryType.FixedSize;
    if (fixedSize != init.batchId().isPresent()) {
      throw new DapException.InvalidMessage(taskId, "The batch selector's query type does not match the task's.");
    }
    Set<ReportId> ids = new HashSet<>();
    for (AggregationJobInit.PrepareInit p : init.prepareInits()) {
      if (!ids.add(p.reportShare().reportId())) {
        throw new DapException.InvalidMessage(taskId, "The aggregation job lists a report ID twice.");
      }
    }
    PingPongVdaf vdaf = vdafs.of(task);
    if (!vdaf.isValidAggregationParameter(init.aggregationParameter(), List.of())) {
      throw new DapException.InvalidAggregationParameter(taskId,
          "The aggregation parameter is not valid for the task's VDAF.");
    }
    return vdaf;
  }

  /**
   * Accepts an initialization to do later (asynchronous mode) after the checks that fail the whole job; does nothing
   * if the job, or a request to create it, exists with this same request.
   *
   * @throws DapException.ForbiddenMutation if the job or its pending creation came from a different request
   * @throws DapException.DeletedAggregationJob if the job was deleted
   */
  void enqueueInit(ProtocolVersion version, TaskId taskId, AggregationJobId jobId, Optional<AuthenticationToken> auth,
      AggregationJobInit init, byte[] requestHash) {
    byte[] stored = HelperRequestCodec.encode(init);
    datastore.run("aggregate_init_enqueue", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.HELPER, version);
      TaskAccess.authorizeLeader(task, auth);
      if (existingJobAnswer(tx, taskId, jobId, requestHash).isPresent()) {
        return null;
      }
      checkInit(task, init);
      putRequest(tx, new HelperAggregationRequest(taskId, jobId, 0, requestHash, stored, Optional.empty()));
      return null;
    });
  }

  /** Stores a deferred request unless the same one is stored; a different one for the same step is a conflict. */
  private static void putRequest(Tx tx, HelperAggregationRequest request) {
    Optional<HelperAggregationRequest> pending = tx.helperAggregationRequests().get(request.taskId(),
        request.jobId(), request.step());
    if (pending.isPresent()) {
      if (!Arrays.equals(pending.get().requestHash(), request.requestHash())) {
        throw new DapException.ForbiddenMutation(request.taskId(),
            "A different request for this step of the aggregation job was already accepted.");
      }
      return;
    }
    tx.helperAggregationRequests().put(request);
  }

  private Prepared prepare(ProtocolVersion version, Task task, PingPongVdaf vdaf, byte[] aggParam,
      Map<Integer, HpkeKeypair> keys, Time now, AggregationJobInit.PrepareInit p) {
    ReportShare share = p.reportShare();
    ReportId id = share.reportId();
    Time time = share.time();
    HpkeKeypair key = keys.get(share.encryptedInputShare().configId());
    if (key == null) {
      return Prepared.failed(id, time, ReportFailure.HPKE_UNKNOWN_CONFIG_ID);
    }
    byte[] plaintext;
    try {
      plaintext = Hpke.open(key, version.inputShareInfo(Role.HELPER), share.encryptedInputShare(),
          version.inputShareAad(task, share));
    } catch (HpkeException e) {
      return Prepared.failed(id, time, ReportFailure.HPKE_DECRYPT_ERROR);
    }
    InputShare inputShare;
    try {
      inputShare = version.decodeInputShare(plaintext);
    } catch (DecodeException e) {
      return Prepared.failed(id, time, ReportFailure.INVALID_MESSAGE);
    }
    if (time.isAfter(now.plus(task.tolerableClockSkew()))) {
      return Prepared.failed(id, time, ReportFailure.REPORT_TOO_EARLY);
    }
    Optional<ReportFailure> outside = TaskAccess.outsideTaskInterval(task, time);
    if (outside.isPresent()) {
      return Prepared.failed(id, time, outside.get());
    }
    Optional<Time> expiry = task.reportExpiryThreshold(now);
    if (expiry.isPresent() && time.isBefore(expiry.get())) {
      // Replay state for reports this old may already be garbage collected, so the report cannot be checked.
      return Prepared.failed(id, time, ReportFailure.REPORT_DROPPED);
    }
    if (ReportUploader.checkExtensions(version, task, share.publicExtensions(), inputShare.extensions())
        .isPresent()) {
      return Prepared.failed(id, time, ReportFailure.INVALID_MESSAGE);
    }
    try {
      PingPongVdaf.Transition t = vdaf.helperInitialized(task.vdafVerifyKey(), aggParam, id.bytes(),
          share.publicShare(), inputShare.payload(), p.message());
      return new Prepared(id, time, Optional.empty(), Optional.of(t));
    } catch (VdafException e) {
      // Tell an undecodable share (invalid_message) from a failed proof (vdaf_prep_error) only on this rare path,
      // so that valid reports are prepared once.
      return Prepared.failed(id, time, undecodable(vdaf, share.publicShare(), inputShare.payload())
          ? ReportFailure.INVALID_MESSAGE : ReportFailure.VDAF_PREP_ERROR);
    }
  }

  private static boolean undecodable(PingPongVdaf vdaf, byte[] publicShare, byte[] inputShare) {
    try {
      vdaf.checkShares(1, publicShare, inputShare);
      return false;
    } catch (VdafException e) {
      return true;
    }
  }

  /**
   * The stored answer if the job exists and {@code requestHash} is the request that produced it; empty if the job
   * does not exist.
   *
   * @throws DapException.ForbiddenMutation if the job exists and the request differs
   * @throws DapException.DeletedAggregationJob if the job was deleted
   */
  private static Optional<List<PrepareOutcome>> existingJobAnswer(Tx tx, TaskId taskId, AggregationJobId jobId,
      byte[] requestHash) {
    Optional<AggregationJob> existing = tx.aggregationJobs().get(taskId, jobId);
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    AggregationJob job = existing.get();
    if (job.state() == AggregationJobState.DELETED) {
      throw new DapException.DeletedAggregationJob(taskId, jobId);
    }
    if (job.step() != 0 || job.lastRequestHash().isEmpty()
        || !Arrays.equals(job.lastRequestHash().get(), requestHash)) {
      throw new DapException.ForbiddenMutation(taskId,
          "The aggregation job already exists with a different request, or has been continued.");
    }
    return Optional.of(storedAnswer(tx, taskId, jobId));
  }

  private static List<PrepareOutcome> storedAnswer(Tx tx, TaskId taskId, AggregationJobId jobId) {
    List<PrepareOutcome> out = new ArrayList<>();
    for (ReportAggregation ra : tx.reportAggregations().getForJob(taskId, jobId)) {
      ra.lastPrepareResult().ifPresent(r -> out.add(toOutcome(ra.reportId(), r)));
    }
    return out;
  }

  private List<PrepareOutcome> storeNewJob(Tx tx, Task task, PingPongVdaf vdaf, AggregationJobId jobId,
      AggregationJobInit init, byte[] requestHash, List<Prepared> prepared) {
    TaskId taskId = task.id();
    byte[] aggParam = init.aggregationParameter();
    AggregationStepWriter writer = new AggregationStepWriter(task, vdaf, aggParam, init.batchId(),
        ThreadLocalRandom.current().nextInt(batchAggregationShardCount));
    Interval interval = Interval.EMPTY;
    boolean allDone = true;
    List<Optional<ReportFailure>> failures = storedChecks(tx, task, init.batchId(), aggParam, prepared);
    for (int ord = 0; ord < prepared.size(); ord++) {
      Prepared p = prepared.get(ord);
      interval = interval.mergedWith(p.time());
      Optional<ReportFailure> failure = failures.get(ord);
      if (failure.isPresent()) {
        writer.changed(row(taskId, jobId, p, ord, new PrepareResult.Reject(failure.get()),
            new ReportAggregationState.Failed(failure.get())));
        continue;
      }
      switch (p.transition().orElseThrow()) {
        case PingPongVdaf.Continued c -> {
          writer.changed(row(taskId, jobId, p, ord, new PrepareResult.Continue(c.message()),
              new ReportAggregationState.WaitingHelper(c.state())));
          allDone = false;
        }
        case PingPongVdaf.Finished f -> writer.finished(row(taskId, jobId, p, ord,
            f.finalMessage().<PrepareResult>map(PrepareResult.Continue::new).orElseGet(PrepareResult.Finished::new),
            new ReportAggregationState.Finished()), f.outputShare());
      }
    }
    AggregationJob job = new AggregationJob(taskId, jobId, aggParam, init.batchId(), interval,
        allDone ? AggregationJobState.FINISHED : AggregationJobState.IN_PROGRESS, 0, Optional.of(requestHash));
    if (!tx.aggregationJobs().put(job)) {
      // Only a concurrent creation that committed after this transaction's first look can get here.
      throw new DapException.ForbiddenMutation(taskId, "The aggregation job was created concurrently.");
    }
    List<ReportAggregation> written = writer.write(tx, true);
    tx.taskCounters().incrementAggregation(taskId, taskCounterShardCount,
        TaskAggregationCounter.outcomesOf(written));
    return written.stream().map(ra -> toOutcome(ra.reportId(), ra.lastPrepareResult().orElseThrow())).toList();
  }

  private static ReportAggregation row(TaskId taskId, AggregationJobId jobId, Prepared p, int ord,
      PrepareResult result, ReportAggregationState state) {
    return new ReportAggregation(taskId, jobId, p.reportId(), p.time(), ord, Optional.of(result), state);
  }

  /**
   * Each report's failure after the checks that need the database: collected batches, saturated fixed-size
   * batches and replays. A report that passes is recorded (ID and timestamp only) so that a later job carrying it
   * again is caught as a replay.
   */
  private static List<Optional<ReportFailure>> storedChecks(Tx tx, Task task, Optional<BatchId> batchId,
      byte[] aggParam, List<Prepared> prepared) {
    List<Optional<ReportFailure>> out = new ArrayList<>(prepared.size());
    List<Integer> candidates = new ArrayList<>();
    List<ReportTimestamp> seen = new ArrayList<>();
    long room = roomInBatch(tx, task, batchId, aggParam);
    // Clients truncate timestamps to the time precision, so a job's reports share few distinct times.
    Map<Time, Boolean> collected = new HashMap<>();
    for (int i = 0; i < prepared.size(); i++) {
      Prepared p = prepared.get(i);
      Optional<ReportFailure> f = p.failure();
      if (f.isEmpty() && collected.computeIfAbsent(p.time(), t -> isCollected(tx, task, batchId, t))) {
        f = Optional.of(ReportFailure.BATCH_COLLECTED);
      }
      if (f.isEmpty() && room <= 0) {
        f = Optional.of(ReportFailure.BATCH_SATURATED);
      }
      if (f.isEmpty()) {
        room--;
        candidates.add(i);
        seen.add(new ReportTimestamp(p.reportId(), p.time()));
      }
      out.add(f);
    }
    if (!seen.isEmpty()) {
      boolean[] fresh = tx.clientReports().putScrubbed(task.id(), seen);
      for (int k = 0; k < fresh.length; k++) {
        if (!fresh[k]) {
          out.set(candidates.get(k), Optional.of(ReportFailure.REPORT_REPLAYED));
        }
      }
    }
    return out;
  }

  /**
   * How many more reports the job's fixed-size batch may take before {@code max_batch_size} (draft 09 section
   * 4.5.1.4 lets the Helper reject the rest as {@code batch_saturated}); unbounded for time-interval tasks and
   * fixed-size tasks without a maximum. Concurrent jobs may together overshoot a little: the size is enforced
   * exactly when the batch is collected.
   */
  private static long roomInBatch(Tx tx, Task task, Optional<BatchId> batchId, byte[] aggParam) {
    if (batchId.isEmpty() || !(task.queryType() instanceof QueryType.FixedSize f) || f.maxBatchSize().isEmpty()) {
      return Long.MAX_VALUE;
    }
    long aggregated = 0;
    for (BatchAggregation b : tx.batchAggregations().getAll(task.id(), new BatchIdentifier.FixedSize(batchId.get()),
        aggParam)) {
      aggregated += b.reportCount();
    }
    return f.maxBatchSize().getAsLong() - aggregated;
  }

  /** True if the Helper has answered an aggregate-share request for a batch holding a report at {@code time}. */
  static boolean isCollected(Tx tx, Task task, Optional<BatchId> batchId, Time time) {
    if (batchId.isPresent()) {
      return tx.aggregateShareJobs().countAggregationParameters(task.id(),
          new BatchIdentifier.FixedSize(batchId.get())) > 0;
    }
    return !tx.aggregateShareJobs().findOverlapping(task.id(), new Interval(time, DapDuration.ofSeconds(1))).isEmpty();
  }

  List<PrepareOutcome> continueJob(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Optional<AuthenticationToken> auth, AggregationJobContinue request, byte[] requestHash) {
    return continueJob(version, taskId, jobId, task -> TaskAccess.authorizeLeader(task, auth), request, requestHash);
  }

  /** {@link #continueJob}, with {@code authorize} checking the request's authentication (see {@link #initialize}). */
  List<PrepareOutcome> continueJob(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Consumer<Task> authorize, AggregationJobContinue request, byte[] requestHash) {
    checkContinue(taskId, request);
    return datastore.run("aggregate_continue", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.HELPER, version);
      authorize.accept(task);
      AggregationJob job = liveJob(tx, taskId, jobId);
      if (request.step() == job.step()) {
        // The Leader resent the last request (draft 09 section 4.5.2.3): answer it again if it is identical.
        if (job.lastRequestHash().isPresent() && Arrays.equals(job.lastRequestHash().get(), requestHash)) {
          return storedAnswer(tx, taskId, jobId);
        }
        throw new DapException.ForbiddenMutation(taskId,
            "A different request for this step of the aggregation job was already processed.");
      }
      if (request.step() != job.step() + 1) {
        throw new DapException.StepMismatch(taskId, job.step() + 1, request.step());
      }
      return continueStep(tx, task, job, request, requestHash);
    });
  }

  /**
   * Accepts a continuation to do later (asynchronous mode) after the checks that fail it at once; does nothing if
   * the job is at that step already by this same request, or the same request is pending.
   */
  void enqueueContinue(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Optional<AuthenticationToken> auth, AggregationJobContinue request, byte[] requestHash) {
    checkContinue(taskId, request);
    byte[] stored = HelperRequestCodec.encode(request);
    datastore.run("aggregate_continue_enqueue", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.HELPER, version);
      TaskAccess.authorizeLeader(task, auth);
      AggregationJob job = liveJob(tx, taskId, jobId);
      if (request.step() == job.step()) {
        if (job.lastRequestHash().isPresent() && Arrays.equals(job.lastRequestHash().get(), requestHash)) {
          return null;
        }
        throw new DapException.ForbiddenMutation(taskId,
            "A different request for this step of the aggregation job was already processed.");
      }
      if (request.step() != job.step() + 1) {
        throw new DapException.StepMismatch(taskId, job.step() + 1, request.step());
      }
      putRequest(tx, new HelperAggregationRequest(taskId, jobId, request.step(), requestHash, stored,
          Optional.empty()));
      return null;
    });
  }

  private static AggregationJob liveJob(Tx tx, TaskId taskId, AggregationJobId jobId) {
    AggregationJob job = tx.aggregationJobs().get(taskId, jobId)
        .orElseThrow(() -> new DapException.UnrecognizedAggregationJob(taskId, jobId));
    if (job.state() == AggregationJobState.DELETED) {
      throw new DapException.DeletedAggregationJob(taskId, jobId);
    }
    return job;
  }

  private static void checkContinue(TaskId taskId, AggregationJobContinue request) {
    if (request.step() == 0) {
      throw new DapException.InvalidMessage(taskId, "An aggregation job cannot be continued to step 0.");
    }
    if (request.prepareContinues().isEmpty()) {
      throw new DapException.InvalidMessage(taskId, "The continuation request lists no reports.");
    }
    Set<ReportId> ids = new HashSet<>();
    for (AggregationJobContinue.PrepareContinue p : request.prepareContinues()) {
      if (!ids.add(p.reportId())) {
        throw new DapException.InvalidMessage(taskId, "The continuation request lists a report ID twice.");
      }
    }
  }

  private List<PrepareOutcome> continueStep(Tx tx, Task task, AggregationJob job, AggregationJobContinue request,
      byte[] requestHash) {
    TaskId taskId = task.id();
    PingPongVdaf vdaf = vdafs.of(task);
    byte[] aggParam = job.aggregationParameter();
    List<ReportAggregation> rows = tx.reportAggregations().getForJob(taskId, job.id());
    Map<ReportId, ReportAggregation> waiting = new LinkedHashMap<>();
    for (ReportAggregation ra : rows) {
      if (ra.state() instanceof ReportAggregationState.WaitingHelper) {
        waiting.put(ra.reportId(), ra);
      }
    }
    // Each continued report must be one the Helper is waiting on, in the job's order (draft 09 section 4.5.2.2).
    int lastOrd = -1;
    for (AggregationJobContinue.PrepareContinue p : request.prepareContinues()) {
      ReportAggregation ra = waiting.get(p.reportId());
      if (ra == null) {
        throw new DapException.InvalidMessage(taskId, "The continuation request names a report that is not "
            + "waiting for a continuation in this job.");
      }
      if (ra.ord() <= lastOrd) {
        throw new DapException.InvalidMessage(taskId, "The continuation request lists reports out of order.");
      }
      lastOrd = ra.ord();
    }
    AggregationStepWriter writer = new AggregationStepWriter(task, vdaf, aggParam, job.batchId(),
        ThreadLocalRandom.current().nextInt(batchAggregationShardCount));
    Set<ReportId> continued = new HashSet<>();
    boolean allDone = true;
    for (AggregationJobContinue.PrepareContinue p : request.prepareContinues()) {
      ReportAggregation ra = waiting.get(p.reportId());
      continued.add(p.reportId());
      byte[] state = ((ReportAggregationState.WaitingHelper) ra.state()).prepareState();
      try {
        switch (vdaf.helperContinued(aggParam, state, p.message())) {
          case PingPongVdaf.Continued c -> {
            writer.changed(ra.withState(new ReportAggregationState.WaitingHelper(c.state()))
                .withLastPrepareResult(new PrepareResult.Continue(c.message())));
            allDone = false;
          }
          case PingPongVdaf.Finished f -> writer.finished(ra.withState(new ReportAggregationState.Finished())
              .withLastPrepareResult(f.finalMessage().<PrepareResult>map(PrepareResult.Continue::new)
                  .orElseGet(PrepareResult.Finished::new)), f.outputShare());
        }
      } catch (VdafException e) {
        writer.changed(ra.withState(new ReportAggregationState.Failed(ReportFailure.VDAF_PREP_ERROR))
            .withLastPrepareResult(new PrepareResult.Reject(ReportFailure.VDAF_PREP_ERROR)));
      }
    }
    // Reports the Leader left out were rejected by the Leader; they will never finish here.
    for (ReportAggregation ra : waiting.values()) {
      if (!continued.contains(ra.reportId())) {
        writer.changed(ra.withState(new ReportAggregationState.Failed(ReportFailure.REPORT_DROPPED)));
      }
    }
    tx.aggregationJobs().update(job.withStep(request.step()).withLastRequestHash(requestHash)
        .withState(allDone ? AggregationJobState.FINISHED : AggregationJobState.IN_PROGRESS));
    // Only the continued reports are answered and counted; the dropped ones were the Leader's decision.
    List<ReportAggregation> answered = writer.write(tx, false).stream()
        .filter(ra -> continued.contains(ra.reportId())).toList();
    tx.taskCounters().incrementAggregation(taskId, taskCounterShardCount,
        TaskAggregationCounter.outcomesOf(answered));
    return answered.stream().map(ra -> toOutcome(ra.reportId(), ra.lastPrepareResult().orElseThrow())).toList();
  }

  /**
   * The answer the job gave at {@code step}, for a Leader polling it (DAP-18 section 4.5.3.2): the stored outcomes
   * when the job is at that step.
   *
   * @return empty if a request taking the job to {@code step} is accepted and not done yet (asynchronous mode);
   *     otherwise the answer
   * @throws DapException.UnrecognizedAggregationJob if there is no such job
   * @throws DapException.DeletedAggregationJob if it was deleted
   * @throws DapException.StepMismatch if the job is at another step and nothing pending will bring it to this one
   * @throws DapException if the pending request for this step failed: its failure
   */
  Optional<List<PrepareOutcome>> answerAt(ProtocolVersion version, TaskId taskId, AggregationJobId jobId,
      Optional<AuthenticationToken> auth, int step) {
    return datastore.run("aggregate_get", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.HELPER, version);
      TaskAccess.authorizeLeader(task, auth);
      Optional<HelperAggregationRequest> pending = tx.helperAggregationRequests().get(taskId, jobId, step);
      if (pending.isPresent()) {
        if (pending.get().failure().isPresent()) {
          throw HelperAggregationWorker.failure(taskId, jobId, pending.get().failure().get());
        }
        return Optional.empty();
      }
      AggregationJob job = tx.aggregationJobs().get(taskId, jobId)
          .orElseThrow(() -> new DapException.UnrecognizedAggregationJob(taskId, jobId));
      if (job.state() == AggregationJobState.DELETED) {
        throw new DapException.DeletedAggregationJob(taskId, jobId);
      }
      if (job.step() == step) {
        return Optional.of(storedAnswer(tx, taskId, jobId));
      }
      throw new DapException.StepMismatch(taskId, job.step(), step);
    });
  }

  void delete(ProtocolVersion version, TaskId taskId, AggregationJobId jobId, Optional<AuthenticationToken> auth) {
    datastore.run("aggregate_delete", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.HELPER, version);
      TaskAccess.authorizeLeader(task, auth);
      AggregationJob job = tx.aggregationJobs().get(taskId, jobId)
          .orElseThrow(() -> new DapException.UnrecognizedAggregationJob(taskId, jobId));
      if (job.state() != AggregationJobState.DELETED) {
        tx.aggregationJobs().update(job.withState(AggregationJobState.DELETED));
      }
      return null;
    });
  }

  static PrepareOutcome toOutcome(ReportId id, PrepareResult r) {
    return switch (r) {
      case PrepareResult.Continue c -> new PrepareOutcome.Continue(id, c.message());
      case PrepareResult.Finished f -> new PrepareOutcome.Finished(id);
      case PrepareResult.Reject j -> new PrepareOutcome.Rejected(id, j.failure());
    };
  }
}
