package io.janus.aggregator.dap18;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.janus.aggregator.AggregateShareRequest;
import io.janus.aggregator.AggregationJobContinue;
import io.janus.aggregator.AggregationJobInit;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.BatchSelector;
import io.janus.aggregator.ClientAbortException;
import io.janus.aggregator.CollectionJobStatus;
import io.janus.aggregator.CollectionRequest;
import io.janus.aggregator.DapException;
import io.janus.aggregator.HelperAggregationMode;
import io.janus.aggregator.HelperRequestQueue;
import io.janus.aggregator.PrepareOutcome;
import io.janus.aggregator.ReportShare;
import io.janus.aggregator.ReportUpload;
import io.janus.aggregator.RequestBodies;
import io.janus.aggregator.RequestLimits;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.Base64Url;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import io.janus.messages.dap18.AggregateShare;
import io.janus.messages.dap18.AggregateShareReq;
import io.janus.messages.dap18.AggregationJobContinueReq;
import io.janus.messages.dap18.AggregationJobExtension;
import io.janus.messages.dap18.AggregationJobInitReq;
import io.janus.messages.dap18.AggregationJobResp;
import io.janus.messages.dap18.CollectionJobExtension;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.CollectionJobResp;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Interval;
import io.janus.messages.dap18.Query;
import io.janus.messages.dap18.Report;
import io.janus.messages.dap18.ReportUploadStatus;
import io.janus.messages.dap18.TypedExtension;
import io.janus.messages.dap18.UploadErrors;
import io.janus.messages.dap18.UploadRequest;
import io.janus.messages.dap18.VerifyContinue;
import io.janus.messages.dap18.VerifyInit;
import io.janus.messages.dap18.VerifyResp;
import io.janus.server.datastore.model.ReportFailure;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The draft-ietf-ppm-dap-18 HTTP API of both aggregator roles (sections 3, 4.4 to 4.6 and appendix A), served on the
 * same listener as DAP-09. Each handler checks the task, authenticates, reads and decodes the body, calls the
 * version-neutral {@link Aggregator} and encodes its answer; failures become draft-18 problem documents
 * ({@link Dap18Problems}).
 *
 * <p><b>Dispatch.</b> This service is registered ahead of the DAP-09 one. Where draft 18 alone has a method on a
 * path it always answers, so a task of the other draft gets draft 18's {@code unrecognizedTask}. Where both drafts
 * have the same method on the same path ({@code POST} and {@code DELETE} of an aggregation job, {@code DELETE} of a
 * collection job, {@code POST} of {@code aggregate_shares}) a request is draft 18's if its {@code Content-Type} is
 * a draft-18 media type ({@code application/ppm-dap}), and, without a body, if the task it names is a DAP-18 task
 * in the task cache; every other request goes on to the DAP-09 service ({@code res.next()}), which refuses a DAP-18
 * task as unrecognized. {@code GET /hpke_config} is draft 18's when it has no {@code task_id} query parameter and
 * its {@code Accept} names {@code application/ppm-dap}; otherwise DAP-09 answers it as before.
 *
 * <p><b>Resources.</b> Every creation is a POST whose resource ID is derived from the request, so a byte-identical
 * retry names the same resource (section 3.2): the first 16 bytes of SHA-256 over the task ID and the body for
 * aggregation and collection jobs, and for aggregate shares an encoding of the batch and the aggregation parameter,
 * which is what the Helper stores the share under. {@code Location} is the creation path plus {@code /} and the ID.
 *
 * <p><b>Asynchronous Helper.</b> With {@link HelperAggregationMode#ASYNCHRONOUS} an aggregation job's creation and
 * continuation are checked (task, authentication, body, extensions, the job-level checks), stored durably and
 * answered at once: 201 (creation) or 200 (continuation), an empty body, {@code Location} with {@code ?step=N} and
 * {@code Retry-After}. A worker on any replica does the work; {@code GET ?step=N} answers "not ready" the same way
 * until the job's answer for that step exists. Aggregate shares are always answered synchronously.
 */
public final class Dap18Service implements HttpService {
  /** {@code Cache-Control} of the HPKE configuration: one day, as for DAP-09 and Janus. */
  static final String HPKE_CONFIG_CACHE_CONTROL = "max-age=86400";

  /** {@code Retry-After} (seconds) of a not-ready aggregation job or aggregate share. */
  static final long HELPER_RETRY_AFTER_SECONDS = 1;

  private static final HeaderName LOCATION = HeaderNames.LOCATION;
  private static final HeaderName RETRY_AFTER = HeaderNames.RETRY_AFTER;
  private static final Dap18Protocol V = Dap18Protocol.INSTANCE;

  private final Aggregator aggregator;
  private final RequestLimits limits;
  private final Optional<HelperRequestQueue> helperQueue;

  /**
   * Creates the service.
   *
   * @param aggregator the shared protocol logic
   * @param limits how much of each request body is read, and for how long
   */
  public Dap18Service(Aggregator aggregator, RequestLimits limits) {
    this.aggregator = aggregator;
    this.limits = limits;
    this.helperQueue = limits.helperQueue().map(HelperRequestQueue::new);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get(Dap18.ROUTE_HPKE_CONFIG, (req, res) -> {
      if (req.query().contains("task_id") || !acceptsDap18(req)) {
        res.next();
        return;
      }
      guarded(req, res, this::hpkeConfig);
    })
        .post(Dap18.ROUTE_REPORTS, guard(this::upload))
        .post(Dap18.ROUTE_AGGREGATION_JOBS, guard(queued(this::aggregationJobCreate)))
        .post(Dap18.ROUTE_AGGREGATION_JOB, shared(queued(this::aggregationJobContinue)))
        .get(Dap18.ROUTE_AGGREGATION_JOB, guard(this::aggregationJobGet))
        .delete(Dap18.ROUTE_AGGREGATION_JOB, shared(this::aggregationJobDelete))
        .post(Dap18.ROUTE_COLLECTION_JOBS, guard(this::collectionJobCreate))
        .get(Dap18.ROUTE_COLLECTION_JOB, guard(this::collectionJobGet))
        .delete(Dap18.ROUTE_COLLECTION_JOB, shared(this::collectionJobDelete))
        .post(Dap18.ROUTE_AGGREGATE_SHARES, shared(this::aggregateShareCreate))
        .get(Dap18.ROUTE_AGGREGATE_SHARE, guard(this::aggregateShareGet))
        .delete(Dap18.ROUTE_AGGREGATE_SHARE, guard(this::aggregateShareDelete));
  }

  /** True if the request's Accept names a draft-18 media type. */
  private static boolean acceptsDap18(ServerRequest req) {
    for (String accept : req.headers().all(HeaderNames.ACCEPT, List::of)) {
      if (accept.toLowerCase(Locale.ROOT).contains(Dap18.MEDIA_TYPE_BASE)) {
        return true;
      }
    }
    return false;
  }

  /** A handler for a method and path DAP-09 has too: see the class comment for the rule. */
  private Handler shared(Handler handler) {
    return (req, res) -> {
      if (isDap18(req)) {
        guarded(req, res, handler);
      } else {
        res.next();
      }
    };
  }

  private boolean isDap18(ServerRequest req) {
    Optional<String> contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
    if (contentType.isPresent()) {
      return Dap18.message(contentType.get()).isPresent();
    }
    try {
      TaskId taskId = TaskId.fromBase64Url(req.path().pathParameters().get(Dap18.PARAM_TASK_ID));
      return aggregator.protocolOf(taskId).filter(v -> v == DapVersion.DAP_18).isPresent();
    } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
      return false;
    }
  }

  private static Handler guard(Handler handler) {
    return (req, res) -> guarded(req, res, handler);
  }

  /** Runs {@code handler}, answering its {@link DapException} with a draft-18 problem document. */
  private static void guarded(ServerRequest req, ServerResponse res, Handler handler) throws Exception {
    try {
      handler.handle(req, res);
    } catch (DapException e) {
      Dap18Problems.send(res, e);
    }
  }

  /** Runs a Helper aggregation request through the request queue, if one is configured. */
  private Handler queued(Handler handler) {
    return (req, res) -> {
      if (helperQueue.isEmpty()) {
        handler.handle(req, res);
        return;
      }
      helperQueue.get().run(() -> {
        try {
          handler.handle(req, res);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return null;
      });
    };
  }

  // Section 4.4.1.
  private void hpkeConfig(ServerRequest req, ServerResponse res) {
    HpkeConfigList list = new HpkeConfigList(aggregator.hpkeConfigs(V, Optional.empty()));
    res.header(HeaderNames.CACHE_CONTROL, HPKE_CONFIG_CACHE_CONTROL);
    req.headers().first(HeaderNames.ORIGIN).ifPresent(o -> res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, o));
    send(res, Status.OK_200, Dap18.MEDIA_TYPE_HPKE_CONFIG_LIST, list.toBytes());
  }

  // Section 4.4.2: every report gets an answer, in request order; the body lists only the refused ones.
  private void upload(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    Task task = aggregator.authorize(V, taskId, Role.LEADER, false, Optional.empty());
    UploadRequest msg = decode(body(req, UploadRequest.MEDIA_TYPE, limits.uploadBytes()), taskId,
        UploadRequest::decode);
    DapDuration precision = task.timePrecision();
    List<Optional<ReportFailure>> failures = new ArrayList<>(msg.reports().size());
    List<ReportUpload> uploads = new ArrayList<>(msg.reports().size());
    List<Integer> positions = new ArrayList<>(msg.reports().size());
    for (Report r : msg.reports()) {
      Time time;
      try {
        time = Dap18Protocol.seconds(r.metadata().time(), precision);
      } catch (IllegalArgumentException e) {
        failures.add(Optional.of(ReportFailure.INVALID_MESSAGE));
        continue;
      }
      positions.add(failures.size());
      failures.add(Optional.empty());
      uploads.add(new ReportUpload(new ReportShare(r.metadata().reportId(), time, r.publicShare(),
          r.leaderEncryptedInputShare(), Dap18Protocol.toNeutral(r.metadata().publicExtensions())),
          r.helperEncryptedInputShare()));
    }
    List<Optional<ReportFailure>> stored = uploads.isEmpty() ? List.of() : aggregator.uploadAll(V, taskId, uploads);
    for (int i = 0; i < stored.size(); i++) {
      failures.set(positions.get(i), stored.get(i));
    }
    List<ReportUploadStatus> errors = new ArrayList<>();
    for (int i = 0; i < failures.size(); i++) {
      Optional<ReportFailure> f = failures.get(i);
      if (f.isPresent()) {
        errors.add(new ReportUploadStatus(msg.reports().get(i).metadata().reportId(), Dap18Protocol.toWire(f.get())));
      }
    }
    req.headers().first(HeaderNames.ORIGIN).ifPresent(o -> res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, o));
    if (errors.isEmpty()) {
      res.status(Status.OK_200).send();
    } else {
      send(res, Status.OK_200, UploadErrors.MEDIA_TYPE, new UploadErrors(errors).toBytes());
    }
  }

  // Section 4.5.3.2.
  private void aggregationJobCreate(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    Task task = aggregator.authorize(V, taskId, Role.HELPER, true, auth);
    byte[] body = body(req, AggregationJobInitReq.MEDIA_TYPE, limits.aggregationJobBytes());
    AggregationJobInitReq msg = decode(body, taskId, AggregationJobInitReq::decode);
    AggregationJobInit init = toNeutral(task, msg);
    AggregationJobId jobId = new AggregationJobId(resourceId(taskId, body, AggregationJobId.LENGTH));
    String location = requestPath(req) + "/" + jobId.toBase64Url();
    if (aggregator.helperAggregationMode() == HelperAggregationMode.ASYNCHRONOUS) {
      aggregator.enqueueAggregationJobInit(V, taskId, jobId, auth, init, sha256(body));
      // Section 4.5.3.2: the Location of a job that is not ready names step 0.
      res.header(LOCATION, location + "?" + Dap18.QUERY_STEP + "=0");
      notReady(res, Status.CREATED_201, HELPER_RETRY_AFTER_SECONDS);
      return;
    }
    List<PrepareOutcome> outcomes = aggregator.initializeAggregationJob(V, taskId, jobId, auth, init,
        sha256(body));
    res.header(LOCATION, location);
    send(res, Status.CREATED_201, AggregationJobResp.MEDIA_TYPE, encode(outcomes));
  }

  /**
   * The neutral form of an initialization request, after the checks of section 4.5.3.2 on its extensions and of
   * section 5.2.2 on the batch ID.
   */
  static AggregationJobInit toNeutral(Task task, AggregationJobInitReq msg) {
    TaskId taskId = task.id();
    if (!TypedExtension.inStrictlyIncreasingOrder(msg.extensions())) {
      throw new DapException.InvalidMessage(taskId,
          "The aggregation job extensions are not in strictly increasing order of type.");
    }
    List<Integer> unsupported = new ArrayList<>();
    Optional<BatchId> batchId = Optional.empty();
    for (AggregationJobExtension e : msg.extensions()) {
      if (e.extensionType() != Dap18.AGGREGATION_JOB_EXTENSION_LEADER_SELECTED_BATCH_ID) {
        unsupported.add(e.extensionType());
        continue;
      }
      batchId = e.asLeaderSelectedBatchId();
      if (batchId.isEmpty()) {
        throw new DapException.InvalidMessage(taskId, "The leader_selected_batch_id extension is malformed.");
      }
    }
    if (!unsupported.isEmpty()) {
      throw new DapException.UnsupportedExtension(taskId, unsupported);
    }
    boolean leaderSelected = task.queryType() instanceof QueryType.FixedSize;
    if (leaderSelected && batchId.isEmpty()) {
      throw new DapException.InvalidMessage(taskId,
          "A leader_selected task's aggregation job needs the leader_selected_batch_id extension.");
    }
    if (!leaderSelected && batchId.isPresent()) {
      throw new DapException.InvalidMessage(taskId,
          "A time_interval task's aggregation job must not carry the leader_selected_batch_id extension.");
    }
    if (msg.verifyInits().isEmpty()) {
      throw new DapException.InvalidMessage(taskId, "The aggregation job lists no reports.");
    }
    List<AggregationJobInit.PrepareInit> inits = new ArrayList<>(msg.verifyInits().size());
    for (VerifyInit v : msg.verifyInits()) {
      var share = v.reportShare();
      Time time;
      try {
        time = Dap18Protocol.seconds(share.metadata().time(), task.timePrecision());
      } catch (IllegalArgumentException e) {
        throw new DapException.InvalidMessage(taskId, "A report's timestamp is out of range.");
      }
      inits.add(new AggregationJobInit.PrepareInit(new ReportShare(share.metadata().reportId(), time,
          share.publicShare(), share.encryptedInputShare(),
          Dap18Protocol.toNeutral(share.metadata().publicExtensions())), v.payload()));
    }
    return new AggregationJobInit(msg.aggregationParameter(), batchId, inits);
  }

  // Section 4.5.4.2.
  private void aggregationJobContinue(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    AggregationJobId jobId = aggregationJobId(req, taskId);
    Optional<AuthenticationToken> auth = authToken(req);
    aggregator.authorize(V, taskId, Role.HELPER, true, auth);
    byte[] body = body(req, AggregationJobContinueReq.MEDIA_TYPE, limits.aggregationJobBytes());
    AggregationJobContinueReq msg = decode(body, taskId, AggregationJobContinueReq::decode);
    if (aggregator.helperAggregationMode() == HelperAggregationMode.ASYNCHRONOUS) {
      aggregator.enqueueAggregationJobContinue(V, taskId, jobId, auth, toNeutral(msg), sha256(body));
      // Section 3.1: the Leader polls the job with GET, naming the step it is on.
      res.header(LOCATION, requestPath(req) + "?" + Dap18.QUERY_STEP + "=" + msg.step());
      notReady(res, Status.OK_200, HELPER_RETRY_AFTER_SECONDS);
      return;
    }
    List<PrepareOutcome> outcomes = aggregator.continueAggregationJob(V, taskId, jobId, auth,
        toNeutral(msg), sha256(body));
    send(res, Status.OK_200, AggregationJobResp.MEDIA_TYPE, encode(outcomes));
  }

  static AggregationJobContinue toNeutral(AggregationJobContinueReq msg) {
    List<AggregationJobContinue.PrepareContinue> continues = new ArrayList<>(msg.verifyContinues().size());
    for (VerifyContinue v : msg.verifyContinues()) {
      continues.add(new AggregationJobContinue.PrepareContinue(v.reportId(), v.payload()));
    }
    return new AggregationJobContinue(msg.step(), continues);
  }

  // Sections 4.5.3.2 and 4.5.4.2: the Leader polls with the step it is on.
  private void aggregationJobGet(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    AggregationJobId jobId = aggregationJobId(req, taskId);
    Optional<AuthenticationToken> auth = authToken(req);
    aggregator.authorize(V, taskId, Role.HELPER, true, auth);
    int step = step(req, taskId);
    Optional<List<PrepareOutcome>> answer = aggregator.aggregationJobAnswer(V, taskId, jobId, auth, step);
    if (answer.isEmpty()) {
      notReady(res, Status.OK_200, HELPER_RETRY_AFTER_SECONDS);
      return;
    }
    send(res, Status.OK_200, AggregationJobResp.MEDIA_TYPE, encode(answer.get()));
  }

  /** The required {@code step} query parameter, a u16. */
  private static int step(ServerRequest req, TaskId taskId) {
    if (!req.query().contains(Dap18.QUERY_STEP)) {
      throw new DapException.InvalidMessage(taskId, "A poll of an aggregation job needs the step query parameter.");
    }
    try {
      int step = Integer.parseInt(req.query().get(Dap18.QUERY_STEP));
      if (step < 0 || step > 0xffff) {
        throw new NumberFormatException("out of range");
      }
      return step;
    } catch (NumberFormatException e) {
      throw new DapException.InvalidMessage(taskId, "The step query parameter is not a step number.");
    }
  }

  // Section 4.5.5.
  private void aggregationJobDelete(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    AggregationJobId jobId = aggregationJobId(req, taskId);
    Optional<AuthenticationToken> auth = authToken(req);
    aggregator.authorize(V, taskId, Role.HELPER, true, auth);
    aggregator.deleteAggregationJob(V, taskId, jobId, auth);
    res.status(Status.NO_CONTENT_204).send();
  }

  // Section 4.6.1.
  private void collectionJobCreate(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    Task task = aggregator.authorize(V, taskId, Role.LEADER, true, auth);
    byte[] body = body(req, CollectionJobReq.MEDIA_TYPE, limits.collectionBytes());
    CollectionJobReq msg = decode(body, taskId, CollectionJobReq::decode);
    checkCollectionJobExtensions(taskId, msg.extensions());
    io.janus.messages.Query query;
    try {
      query = msg.query().toNeutral(task.timePrecision());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new DapException.BatchInvalid(taskId, "The query's interval is out of range.");
    }
    CollectionJobId jobId = new CollectionJobId(resourceId(taskId, body, CollectionJobId.LENGTH));
    aggregator.createCollectionJob(V, taskId, jobId, auth, new CollectionRequest(query, msg.aggregationParameter()));
    res.header(LOCATION, requestPath(req) + "/" + jobId.toBase64Url());
    res.status(Status.CREATED_201).send();
  }

  /** Section 4.6.2: no collection job extension is supported here; a list out of order is invalid first. */
  private static void checkCollectionJobExtensions(TaskId taskId, List<CollectionJobExtension> extensions) {
    if (!TypedExtension.inStrictlyIncreasingOrder(extensions)) {
      throw new DapException.InvalidExtension(taskId,
          "The collection job extensions are not in strictly increasing order of type.");
    }
    if (!extensions.isEmpty()) {
      throw new DapException.UnsupportedExtension(taskId,
          extensions.stream().map(CollectionJobExtension::extensionType).toList());
    }
  }

  private void collectionJobGet(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    CollectionJobId jobId = collectionJobId(req, taskId);
    Optional<AuthenticationToken> auth = authToken(req);
    Task task = aggregator.authorize(V, taskId, Role.LEADER, true, auth);
    switch (aggregator.pollCollectionJob(V, taskId, jobId, auth)) {
      case CollectionJobStatus.Pending p -> notReady(res, Status.OK_200, p.retryAfterSeconds());
      // An empty 2xx would read as "not ready" (section 3.1): a deleted job is gone.
      case CollectionJobStatus.Deleted d -> throw new DapException.UnrecognizedCollectionJob(taskId, jobId);
      case CollectionJobStatus.Finished f -> {
        CollectionJobResp resp = new CollectionJobResp(f.reportCount(),
            Interval.fromSeconds(f.interval(), task.timePrecision()), f.leaderEncryptedAggregateShare(),
            f.helperEncryptedAggregateShare());
        send(res, Status.OK_200, CollectionJobResp.MEDIA_TYPE, resp.toBytes());
      }
    }
  }

  // Section 4.6.3.
  private void collectionJobDelete(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    CollectionJobId jobId = collectionJobId(req, taskId);
    Optional<AuthenticationToken> auth = authToken(req);
    aggregator.authorize(V, taskId, Role.LEADER, true, auth);
    aggregator.deleteCollectionJob(V, taskId, jobId, auth);
    res.status(Status.NO_CONTENT_204).send();
  }

  // Section 4.6.4.
  private void aggregateShareCreate(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    Task task = aggregator.authorize(V, taskId, Role.HELPER, true, auth);
    byte[] body = body(req, AggregateShareReq.MEDIA_TYPE, limits.collectionBytes());
    AggregateShareReq msg = decode(body, taskId, AggregateShareReq::decode);
    checkCollectionJobExtensions(taskId, msg.collectionJobReq().extensions());
    BatchSelector batch = batch(task, msg);
    byte[] aggParam = msg.collectionJobReq().aggregationParameter();
    HpkeCiphertext share = aggregator.aggregateShare(V, taskId, auth,
        new AggregateShareRequest(batch, aggParam, msg.reportCount(), msg.checksum()));
    res.header(LOCATION, requestPath(req) + "/" + Base64Url.encode(shareId(batch, aggParam)));
    send(res, Status.CREATED_201, AggregateShare.MEDIA_TYPE, new AggregateShare(share).toBytes());
  }

  /**
   * The neutral batch of an aggregate share request, which must be the batch the Collector's query names
   * ({@code batchMismatch} otherwise): the query's interval, or any batch for a leader-selected query.
   */
  static BatchSelector batch(Task task, AggregateShareReq msg) {
    Query query = msg.collectionJobReq().query();
    try {
      return switch (msg.batchSelector()) {
        case io.janus.messages.dap18.BatchSelector.TimeInterval t when query instanceof Query.TimeInterval q
            && q.batchInterval().equals(t.batchInterval()) ->
            new BatchSelector.TimeInterval(t.batchInterval().toSeconds(task.timePrecision()));
        case io.janus.messages.dap18.BatchSelector.LeaderSelected l when query instanceof Query.LeaderSelected ->
            new BatchSelector.FixedSize(l.batchId());
        default -> throw new DapException.BatchMismatch(task.id(),
            "The batch selector is not the batch the collection job's query names.");
      };
    } catch (ArithmeticException e) {
      throw new DapException.BatchInvalid(task.id(), "The batch interval is out of range.");
    }
  }

  private void aggregateShareGet(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    aggregator.authorize(V, taskId, Role.HELPER, true, auth);
    ShareKey key = shareKey(req, taskId);
    HpkeCiphertext share = aggregator.storedAggregateShare(V, taskId, auth, key.batch(), key.aggregationParameter());
    send(res, Status.OK_200, AggregateShare.MEDIA_TYPE, new AggregateShare(share).toBytes());
  }

  /**
   * Section 4.6.5. The Helper keeps what it computed: the stored share is what tells later aggregation jobs that
   * the batch is collected, so a deletion only confirms that the share exists.
   */
  private void aggregateShareDelete(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    aggregator.authorize(V, taskId, Role.HELPER, true, auth);
    ShareKey key = shareKey(req, taskId);
    aggregator.storedAggregateShare(V, taskId, auth, key.batch(), key.aggregationParameter());
    res.status(Status.NO_CONTENT_204).send();
  }

  /** What an aggregate share ID encodes. */
  record ShareKey(BatchSelector batch, byte[] aggregationParameter) {}

  /**
   * An aggregate share's ID: {@code 1 || start || duration} (seconds, u64 each) for a time interval or
   * {@code 2 || batch_id} for a leader-selected batch, then the aggregation parameter. The Helper stores one share
   * per batch and parameter, so the ID names it without a lookup table, and identical requests get one ID.
   */
  static byte[] shareId(BatchSelector batch, byte[] aggregationParameter) {
    WireWriter w = new WireWriter(64 + aggregationParameter.length);
    switch (batch) {
      case BatchSelector.TimeInterval t -> {
        w.u8(1);
        t.interval().encode(w);
      }
      case BatchSelector.FixedSize f -> {
        w.u8(2);
        f.batchId().encode(w);
      }
    }
    w.fixed(aggregationParameter);
    return w.toByteArray();
  }

  private static ShareKey shareKey(ServerRequest req, TaskId taskId) {
    try {
      WireReader r = WireReader.of(Base64Url.decode(req.path().pathParameters().get(Dap18.PARAM_AGGREGATE_SHARE_ID)));
      BatchSelector batch = switch (r.u8("mode")) {
        case 1 -> new BatchSelector.TimeInterval(io.janus.messages.Interval.decode(r));
        case 2 -> new BatchSelector.FixedSize(BatchId.decode(r));
        default -> throw new IllegalArgumentException("unknown mode");
      };
      return new ShareKey(batch, r.fixed(r.remaining(), "aggregation parameter"));
    } catch (DecodeException | IllegalArgumentException e) {
      throw new DapException.UnrecognizedAggregateShare(taskId);
    }
  }

  private static byte[] encode(List<PrepareOutcome> outcomes) {
    List<VerifyResp> resps = new ArrayList<>(outcomes.size());
    for (PrepareOutcome o : outcomes) {
      VerifyResp.Result result = switch (o) {
        case PrepareOutcome.Continue c -> new VerifyResp.Continue(c.message());
        case PrepareOutcome.Finished f -> new VerifyResp.Finish();
        case PrepareOutcome.Rejected r -> new VerifyResp.Reject(Dap18Protocol.toWire(r.error()));
      };
      resps.add(new VerifyResp(o.reportId(), result));
    }
    return new AggregationJobResp(resps).toBytes();
  }

  /** Section 3.1: not ready yet, an empty 2xx with {@code Retry-After}. */
  private static void notReady(ServerResponse res, Status status, long retryAfterSeconds) {
    res.header(RETRY_AFTER, Long.toString(retryAfterSeconds));
    res.status(status).send();
  }

  private static void send(ServerResponse res, Status status, String mediaType, byte[] body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, mediaType);
    res.send(body);
  }

  /** The path the request was sent to, without its query: the base of a created resource's {@code Location}. */
  private static String requestPath(ServerRequest req) {
    return req.path().rawPath();
  }

  private static Optional<AuthenticationToken> authToken(ServerRequest req) {
    return AuthenticationHeaders.parse(name -> req.headers().first(HeaderNames.create(name)));
  }

  private static TaskId taskId(ServerRequest req) {
    try {
      return TaskId.fromBase64Url(req.path().pathParameters().get(Dap18.PARAM_TASK_ID));
    } catch (IllegalArgumentException e) {
      throw new DapException.InvalidMessage("The task ID is not valid unpadded base64url of the right length.");
    }
  }

  /** The job in the path; an ID of another length cannot be one this Helper assigned. */
  private static AggregationJobId aggregationJobId(ServerRequest req, TaskId taskId) {
    String text = req.path().pathParameters().get(Dap18.PARAM_AGGREGATION_JOB_ID);
    try {
      return AggregationJobId.fromBase64Url(text);
    } catch (IllegalArgumentException e) {
      throw new DapException.UnrecognizedAggregationJob(taskId, new AggregationJobId(new byte[AggregationJobId.LENGTH]));
    }
  }

  private static CollectionJobId collectionJobId(ServerRequest req, TaskId taskId) {
    String text = req.path().pathParameters().get(Dap18.PARAM_COLLECTION_JOB_ID);
    try {
      return CollectionJobId.fromBase64Url(text);
    } catch (IllegalArgumentException e) {
      throw new DapException.UnrecognizedCollectionJob(taskId, new CollectionJobId(new byte[CollectionJobId.LENGTH]));
    }
  }

  /**
   * The request body, after checking that its Content-Type names {@code mediaType}'s draft-18 message, read only if
   * it fits {@code limit}: a longer {@code Content-Length} is refused before reading, and a chunked body is cut off
   * once it passes the limit or the body timeout.
   */
  private byte[] body(ServerRequest req, String mediaType, long limit) {
    Optional<String> contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
    if (contentType.isEmpty() || !Dap18.isMediaType(contentType.get(), mediaType)) {
      throw new DapException.UnsupportedMediaType(mediaType);
    }
    return RequestBodies.read(req, limit, limits.bodyTimeout());
  }

  private static <T> T decode(byte[] body, TaskId taskId, Function<byte[], T> decoder) {
    return RequestBodies.decode(body, taskId, decoder);
  }

  /**
   * The ID of the resource a creation request makes (section 3.2): the first {@code length} bytes of
   * SHA-256(task ID || body), so a byte-identical retry names the same resource.
   */
  private static byte[] resourceId(TaskId taskId, byte[] body, int length) {
    return Arrays.copyOf(sha256(taskId.bytes(), body), length);
  }

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
