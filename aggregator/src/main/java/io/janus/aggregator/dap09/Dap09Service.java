package io.janus.aggregator.dap09;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
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
import io.janus.aggregator.HelperRequestQueue;
import io.janus.aggregator.PrepareOutcome;
import io.janus.aggregator.ReportShare;
import io.janus.aggregator.ReportUpload;
import io.janus.aggregator.RequestBodies;
import io.janus.aggregator.RequestLimits;
import io.janus.aggregator.TaskprovRequest;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.task.QueryType;
import io.janus.core.task.Taskprov;
import io.janus.core.task.TaskprovTaskConfig;
import io.janus.core.task.VdafInstance;
import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.AggregateShare;
import io.janus.messages.dap09.AggregateShareReq;
import io.janus.messages.dap09.AggregationJobContinueReq;
import io.janus.messages.dap09.AggregationJobInitReq;
import io.janus.messages.dap09.AggregationJobResp;
import io.janus.messages.dap09.Collection;
import io.janus.messages.dap09.CollectionReq;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.FixedSizeQuery;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.dap09.PrepareContinue;
import io.janus.messages.dap09.PrepareInit;
import io.janus.messages.dap09.PrepareResp;
import io.janus.messages.dap09.QueryConfig;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.TaskConfig;
import io.janus.messages.dap09.DpMechanism;
import io.janus.messages.dap09.VdafType;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The draft-ietf-ppm-dap-09 HTTP API of both aggregator roles. Each handler checks the media type, decodes the
 * draft 09 body, calls the version-neutral {@link Aggregator} and encodes its answer; failures are
 * {@link DapException}s that the routing's error handler turns into problem documents.
 *
 * <p>Statuses follow draft 09: upload and aggregation-job creation answer 201 Created (Janus 0.7 answers 200;
 * draft-09 clients accept any 2xx), collection-job creation 201, a collection poll 202 with {@code Retry-After}
 * until the job is done, deletions 204. Browsers may call the HPKE configuration and upload resources from any
 * origin (CORS), as with Janus.
 */
public final class Dap09Service implements HttpService {
  /** {@code Cache-Control} of the HPKE configuration: one day, as draft 09 section 4.4.1 suggests. */
  static final String HPKE_CONFIG_CACHE_CONTROL = "max-age=86400";

  /** How long a browser may cache a CORS preflight answer: one day, as Janus does. */
  static final String CORS_MAX_AGE = "86400";

  private static final HeaderName RETRY_AFTER = HeaderNames.RETRY_AFTER;
  private static final HeaderName TASKPROV_HEADER = HeaderNames.create(Dap09.HEADER_TASKPROV);

  private final Aggregator aggregator;
  private final RequestLimits limits;
  private final java.time.Duration bodyTimeout;
  private final Optional<HelperRequestQueue> helperQueue;

  /**
   * Creates the service.
   *
   * @param aggregator the shared protocol logic
   * @param limits how much of each request body is read, and for how long
   */
  public Dap09Service(Aggregator aggregator, RequestLimits limits) {
    this.aggregator = aggregator;
    this.limits = limits;
    this.bodyTimeout = limits.bodyTimeout();
    this.helperQueue = limits.helperQueue().map(HelperRequestQueue::new);
  }

  /** Runs a Helper aggregation request through the request queue, if one is configured. */
  private void queued(Runnable work) throws InterruptedException {
    if (helperQueue.isEmpty()) {
      work.run();
      return;
    }
    helperQueue.get().run(() -> {
      work.run();
      return null;
    });
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get(Dap09.ROUTE_HPKE_CONFIG, this::hpkeConfig)
        .options(Dap09.ROUTE_HPKE_CONFIG, (req, res) -> preflight(req, res, "GET", false))
        .put(Dap09.ROUTE_REPORTS, this::upload)
        .options(Dap09.ROUTE_REPORTS, (req, res) -> preflight(req, res, "PUT", true))
        .put(Dap09.ROUTE_AGGREGATION_JOB, (req, res) -> queued(() -> aggregationJobInit(req, res)))
        .post(Dap09.ROUTE_AGGREGATION_JOB, (req, res) -> queued(() -> aggregationJobContinue(req, res)))
        .delete(Dap09.ROUTE_AGGREGATION_JOB, this::aggregationJobDelete)
        .put(Dap09.ROUTE_COLLECTION_JOB, this::collectionJobCreate)
        .post(Dap09.ROUTE_COLLECTION_JOB, this::collectionJobPoll)
        .delete(Dap09.ROUTE_COLLECTION_JOB, this::collectionJobDelete)
        .post(Dap09.ROUTE_AGGREGATE_SHARES, this::aggregateShares);
  }

  private void hpkeConfig(ServerRequest req, ServerResponse res) {
    Optional<TaskId> taskId = req.query().contains(Dap09.QUERY_TASK_ID)
        ? Optional.of(parseId(req.query().get(Dap09.QUERY_TASK_ID), TaskId::fromBase64Url, "task ID"))
        : Optional.empty();
    HpkeConfigList list = new HpkeConfigList(aggregator.hpkeConfigs(Dap09Protocol.INSTANCE, taskId));
    res.header(HeaderNames.CACHE_CONTROL, HPKE_CONFIG_CACHE_CONTROL);
    allowOrigin(req, res);
    send(res, Status.OK_200, Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST, list.toBytes());
  }

  /**
   * Answers a CORS preflight for the two resources browsers call directly (Clients in web pages, such as
   * divviup-ts): every origin may fetch HPKE configurations and upload reports, as with Janus.
   */
  private static void preflight(ServerRequest req, ServerResponse res, String method, boolean withContentType) {
    res.header(HeaderNames.ALLOW, method);
    Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
    if (origin.isPresent()) {
      res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
      res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, method);
      if (withContentType) {
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "content-type");
      }
      res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, CORS_MAX_AGE);
    }
    res.status(Status.OK_200).send();
  }

  /** Lets a browser page of any origin read the response (CORS), when the request came from one. */
  private static void allowOrigin(ServerRequest req, ServerResponse res) {
    req.headers().first(HeaderNames.ORIGIN).ifPresent(o -> res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, o));
  }

  private void upload(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    aggregator.authorize(Dap09Protocol.INSTANCE, taskId, Role.LEADER, false, Optional.empty(), inBand(req, taskId));
    Report report = decode(body(req, Report.MEDIA_TYPE, limits.uploadBytes()), taskId, Report::decode);
    ReportShare leaderShare = new ReportShare(report.metadata().reportId(), report.metadata().time(),
        report.publicShare(), report.leaderEncryptedInputShare());
    aggregator.upload(Dap09Protocol.INSTANCE, taskId, new ReportUpload(leaderShare,
        report.helperEncryptedInputShare()));
    allowOrigin(req, res);
    res.status(Status.CREATED_201).send();
  }

  private void aggregationJobInit(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    AggregationJobId jobId = aggregationJobId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    aggregator.authorize(Dap09Protocol.INSTANCE, taskId, Role.HELPER, true, auth, inBand(req, taskId));
    byte[] body = body(req, AggregationJobInitReq.MEDIA_TYPE, limits.aggregationJobBytes());
    AggregationJobInitReq msg = decode(body, taskId, AggregationJobInitReq::decode);
    List<AggregationJobInit.PrepareInit> inits = new ArrayList<>(msg.prepareInits().size());
    for (PrepareInit p : msg.prepareInits()) {
      var share = p.reportShare();
      inits.add(new AggregationJobInit.PrepareInit(new ReportShare(share.metadata().reportId(),
          share.metadata().time(), share.publicShare(), share.encryptedInputShare()), p.payload()));
    }
    var batchId = switch (msg.partialBatchSelector()) {
      case PartialBatchSelector.TimeInterval t -> Optional.<io.janus.messages.BatchId>empty();
      case PartialBatchSelector.FixedSize f -> Optional.of(f.batchId());
    };
    List<PrepareOutcome> outcomes = aggregator.initializeAggregationJob(Dap09Protocol.INSTANCE, taskId, jobId, auth,
        new AggregationJobInit(msg.aggregationParameter(), batchId, inits), sha256(body));
    send(res, Status.CREATED_201, AggregationJobResp.MEDIA_TYPE, encode(outcomes));
  }

  private void aggregationJobContinue(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    AggregationJobId jobId = aggregationJobId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    inBand(req, taskId);
    aggregator.authorize(Dap09Protocol.INSTANCE, taskId, Role.HELPER, true, auth);
    byte[] body = body(req, AggregationJobContinueReq.MEDIA_TYPE, limits.aggregationJobBytes());
    AggregationJobContinueReq msg = decode(body, taskId, AggregationJobContinueReq::decode);
    List<AggregationJobContinue.PrepareContinue> continues = new ArrayList<>(msg.prepareContinues().size());
    for (PrepareContinue p : msg.prepareContinues()) {
      continues.add(new AggregationJobContinue.PrepareContinue(p.reportId(), p.payload()));
    }
    List<PrepareOutcome> outcomes = aggregator.continueAggregationJob(Dap09Protocol.INSTANCE, taskId, jobId, auth,
        new AggregationJobContinue(msg.step(), continues), sha256(body));
    send(res, Status.OK_200, AggregationJobResp.MEDIA_TYPE, encode(outcomes));
  }

  private void aggregationJobDelete(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    AggregationJobId jobId = aggregationJobId(req);
    inBand(req, taskId);
    aggregator.deleteAggregationJob(Dap09Protocol.INSTANCE, taskId, jobId, authToken(req));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void collectionJobCreate(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    CollectionJobId jobId = collectionJobId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    aggregator.authorize(Dap09Protocol.INSTANCE, taskId, Role.LEADER, true, auth);
    CollectionReq msg = decode(body(req, CollectionReq.MEDIA_TYPE, limits.collectionBytes()), taskId,
        CollectionReq::decode);
    aggregator.createCollectionJob(Dap09Protocol.INSTANCE, taskId, jobId, auth,
        new CollectionRequest(msg.query().toNeutral(), msg.aggregationParameter()));
    res.status(Status.CREATED_201).send();
  }

  private void collectionJobPoll(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    CollectionJobId jobId = collectionJobId(req);
    CollectionJobStatus status = aggregator.pollCollectionJob(Dap09Protocol.INSTANCE, taskId, jobId, authToken(req));
    switch (status) {
      case CollectionJobStatus.Pending p -> {
        res.header(RETRY_AFTER, Long.toString(p.retryAfterSeconds()));
        res.status(Status.ACCEPTED_202).send();
      }
      case CollectionJobStatus.Deleted d -> res.status(Status.NO_CONTENT_204).send();
      case CollectionJobStatus.Finished f -> {
        PartialBatchSelector selector = f.batchId()
            .<PartialBatchSelector>map(PartialBatchSelector.FixedSize::new)
            .orElseGet(PartialBatchSelector.TimeInterval::new);
        Collection collection = new Collection(selector, f.reportCount(), f.interval(),
            f.leaderEncryptedAggregateShare(), f.helperEncryptedAggregateShare());
        send(res, Status.OK_200, Collection.MEDIA_TYPE, collection.toBytes());
      }
    }
  }

  private void collectionJobDelete(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    CollectionJobId jobId = collectionJobId(req);
    aggregator.deleteCollectionJob(Dap09Protocol.INSTANCE, taskId, jobId, authToken(req));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void aggregateShares(ServerRequest req, ServerResponse res) {
    TaskId taskId = taskId(req);
    Optional<AuthenticationToken> auth = authToken(req);
    inBand(req, taskId);
    aggregator.authorize(Dap09Protocol.INSTANCE, taskId, Role.HELPER, true, auth);
    AggregateShareReq msg = decode(body(req, AggregateShareReq.MEDIA_TYPE, limits.collectionBytes()), taskId,
        AggregateShareReq::decode);
    BatchSelector batch = switch (msg.batchSelector()) {
      case io.janus.messages.dap09.BatchSelector.TimeInterval t -> new BatchSelector.TimeInterval(t.batchInterval());
      case io.janus.messages.dap09.BatchSelector.FixedSize f -> new BatchSelector.FixedSize(f.batchId());
    };
    HpkeCiphertext share = aggregator.aggregateShare(Dap09Protocol.INSTANCE, taskId, auth,
        new AggregateShareRequest(batch, msg.aggregationParameter(), msg.reportCount(), msg.checksum()));
    send(res, Status.OK_200, AggregateShare.MEDIA_TYPE, new AggregateShare(share).toBytes());
  }

  /**
   * The task configuration in the request's {@code dap-taskprov} header, when taskprov is enabled and the header is
   * present (Janus 0.7 reads it on upload and on every Leader-to-Helper request; it provisions on upload and
   * aggregation job initialization only). The header is unpadded base64url of an encoded {@link TaskConfig} whose
   * SHA-256 must be the task ID in the path.
   *
   * @throws DapException.InvalidMessage if the header is not base64url, names another task, or does not decode
   */
  private Optional<TaskprovRequest> inBand(ServerRequest req, TaskId taskId) {
    if (!aggregator.taskprovEnabled()) {
      return Optional.empty();
    }
    Optional<String> header = req.headers().first(TASKPROV_HEADER);
    if (header.isEmpty()) {
      return Optional.empty();
    }
    byte[] encoded;
    try {
      encoded = Base64.getUrlDecoder().decode(header.get().strip());
    } catch (IllegalArgumentException e) {
      throw new DapException.InvalidMessage(taskId, "The dap-taskprov header is not valid unpadded base64url.");
    }
    if (encoded.length == 0 || !Taskprov.taskId(encoded).equals(taskId)) {
      throw new DapException.InvalidMessage(taskId,
          "The task ID is not the SHA-256 of the task configuration in the dap-taskprov header.");
    }
    TaskConfig config = decode(encoded, taskId, TaskConfig::decode);
    return Optional.of(toNeutral(config, encoded, taskId));
  }

  /** The neutral form of {@code config}; a VDAF or DP mechanism this aggregator cannot run is kept as such. */
  static TaskprovRequest toNeutral(TaskConfig config, byte[] encoded, TaskId taskId) {
    URI leader;
    URI helper;
    try {
      leader = new URI(config.leaderAggregatorEndpoint().value());
      helper = new URI(config.helperAggregatorEndpoint().value());
    } catch (URISyntaxException e) {
      throw new DapException.InvalidMessage(taskId, "An aggregator endpoint in the task configuration is not a URL.");
    }
    QueryConfig q = config.queryConfig();
    QueryType queryType = switch (q.batchMode()) {
      case QueryConfig.TimeInterval t -> new QueryType.TimeInterval();
      case QueryConfig.FixedSize f -> new QueryType.FixedSize(OptionalLong.of(f.maxBatchSize()), Optional.empty());
    };
    VdafType type = config.vdafConfig().vdafType();
    Optional<VdafInstance> vdaf;
    try {
      vdaf = switch (type) {
        case VdafType.Prio3Count c -> Optional.of(new VdafInstance.Prio3Count());
        case VdafType.Prio3Sum v -> Optional.of(new VdafInstance.Prio3Sum(v.bits()));
        case VdafType.Prio3SumVec v -> Optional.of(new VdafInstance.Prio3SumVec(v.bits(),
            Math.toIntExact(v.length()), Math.toIntExact(v.chunkLength())));
        case VdafType.Prio3Histogram v -> Optional.of(new VdafInstance.Prio3Histogram(Math.toIntExact(v.length()),
            Math.toIntExact(v.chunkLength())));
        case VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> Optional.empty();
        case VdafType.Poplar1 v -> Optional.empty();
      };
    } catch (IllegalArgumentException | ArithmeticException e) {
      // Parameters this implementation cannot run (e.g. a length past 2^31): unsupported, like an unknown VDAF.
      vdaf = Optional.empty();
    }
    // Janus 0.7 opts out only of an unrecognized mechanism; the reserved code point 0 passes, as "none" does.
    boolean knownDp = !(config.vdafConfig().dpConfig().dpMechanism() instanceof DpMechanism.Unrecognized u)
        || u.codePoint() == 0;
    return new TaskprovRequest(new TaskprovTaskConfig(encoded), leader, helper, queryType,
        q.maxBatchQueryCount(), q.minBatchSize(), q.timePrecision(), config.taskExpiration(), vdaf,
        type.getClass().getSimpleName(), knownDp);
  }

  private static byte[] encode(List<PrepareOutcome> outcomes) {
    List<PrepareResp> resps = new ArrayList<>(outcomes.size());
    for (PrepareOutcome o : outcomes) {
      PrepareResp.Result result = switch (o) {
        case PrepareOutcome.Continue c -> new PrepareResp.Continue(c.message());
        case PrepareOutcome.Finished f -> new PrepareResp.Finished();
        case PrepareOutcome.Rejected r -> new PrepareResp.Reject(Dap09Protocol.toWire(r.error()));
      };
      resps.add(new PrepareResp(o.reportId(), result));
    }
    return new AggregationJobResp(resps).toBytes();
  }

  private static void send(ServerResponse res, Status status, String mediaType, byte[] body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, mediaType);
    res.send(body);
  }

  private static Optional<AuthenticationToken> authToken(ServerRequest req) {
    return AuthenticationHeaders.parse(name -> req.headers().first(HeaderNames.create(name)));
  }

  private static TaskId taskId(ServerRequest req) {
    return parseId(req.path().pathParameters().get(Dap09.PARAM_TASK_ID), TaskId::fromBase64Url, "task ID");
  }

  private static AggregationJobId aggregationJobId(ServerRequest req) {
    return parseId(req.path().pathParameters().get(Dap09.PARAM_AGGREGATION_JOB_ID),
        AggregationJobId::fromBase64Url, "aggregation job ID");
  }

  private static CollectionJobId collectionJobId(ServerRequest req) {
    return parseId(req.path().pathParameters().get(Dap09.PARAM_COLLECTION_JOB_ID),
        CollectionJobId::fromBase64Url, "collection job ID");
  }

  private static <T> T parseId(String text, Function<String, T> parser, String what) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new DapException.InvalidMessage("The " + what + " is not valid unpadded base64url of the right length.");
    }
  }

  /**
   * The request body, after checking its media type, read only if it fits {@code limit}: a longer
   * {@code Content-Length} is refused before reading, and a chunked body is cut off once it passes the limit.
   */
  private byte[] body(ServerRequest req, String mediaType, long limit) {
    Optional<HttpMediaType> contentType = req.headers().contentType();
    if (contentType.isEmpty()
        || !contentType.get().mediaType().text().toLowerCase(Locale.ROOT).equals(mediaType)) {
      throw new DapException.UnsupportedMediaType(mediaType);
    }
    return RequestBodies.read(req, limit, bodyTimeout);
  }

  private static <T> T decode(byte[] body, TaskId taskId, Function<byte[], T> decoder) {
    return RequestBodies.decode(body, taskId, decoder);
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
