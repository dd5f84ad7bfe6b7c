package io.janus.aggregationjobdriver.dap18;

import io.janus.aggregationjobdriver.AggregationJobHelper;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.dap18.Dap18Requests;
import io.janus.core.http.DapHttpClient;
import io.janus.core.http.DapRequestException;
import io.janus.core.http.NotReadyException;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.DapProblemType;
import io.janus.messages.DecodeException;
import io.janus.messages.ReportId;
import io.janus.messages.dap18.AggregationJobContinueReq;
import io.janus.messages.dap18.AggregationJobExtension;
import io.janus.messages.dap18.AggregationJobInitReq;
import io.janus.messages.dap18.AggregationJobResp;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Extension;
import io.janus.messages.dap18.ReportError;
import io.janus.messages.dap18.ReportMetadata;
import io.janus.messages.dap18.ReportShare;
import io.janus.messages.dap18.VerifyContinue;
import io.janus.messages.dap18.VerifyInit;
import io.janus.messages.dap18.VerifyResp;
import io.janus.server.datastore.model.ReportFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The Helper's aggregation-job API in draft-ietf-ppm-dap-18 (section 4.5), Leader side. Requests carry the task's
 * aggregator token.
 *
 * <ul>
 *   <li>Initialization (4.5.3.1): {@code POST {helper}/tasks/{task-id}/aggregation_jobs} with an
 *       {@code AggregationJobInitReq}: verification key ID 0, the aggregation parameter, for a leader-selected task
 *       the {@code leader_selected_batch_id} extension (5.2.2), and one {@code VerifyInit} per report (its metadata
 *       with the time in time-precision units and its public extensions, the public share, the Helper's sealed
 *       input share, the Leader's first ping-pong message). The body depends only on its inputs, so a retry sends
 *       the same bytes, which the Helper maps to the job it already created. The Helper names the job in
 *       {@code Location} (required here: continuation and deletion need it).
 *   <li>Continuation (4.5.4.1): {@code POST} an {@code AggregationJobContinueReq} to that location.
 *   <li>Either answer is an {@code AggregationJobResp}, or an empty 2xx (not ready, section 3.1), after which the
 *       job is polled with {@code GET {location}?step=N} ({@link Dap18Requests}) until it answers or the deadline
 *       passes ({@link NotReadyException}).
 *   <li>Deletion (4.5.5): {@code DELETE} on the location.
 * </ul>
 *
 * <p>The answer must list exactly the reports sent, in order (else {@link InvalidHelperResponseException}); draft
 * 18's report errors map to the neutral {@link ReportFailure}. A refusal carries the Helper's problem document
 * (draft 18 section 3.6) in the {@link DapRequestException}; a 401 or 403 is not final
 * ({@link Dap18Requests#authenticationIsNotFinal}). Thread-safe.
 */
public final class Dap18AggregationJobHelper implements AggregationJobHelper {
  private static final Logger LOG = Logger.getLogger(Dap18AggregationJobHelper.class.getName());

  /** The verification key the Leader nominates: each task has exactly one, so its ID is always 0. */
  static final int VERIFICATION_KEY_ID = 0;

  private final Dap18Requests requests;

  /** Creates the client over {@code http}. */
  public Dap18AggregationJobHelper(DapHttpClient http) {
    this.requests = new Dap18Requests(http);
  }

  @Override
  public Initialized initialize(Task task, AggregationJobId jobId, byte[] aggregationParameter,
      Optional<BatchId> batchId, List<PrepareInit> inits, Instant deadline) throws InterruptedException {
    List<VerifyInit> wire = new ArrayList<>(inits.size());
    List<ReportId> ids = new ArrayList<>(inits.size());
    long precision = task.timePrecision().seconds();
    for (PrepareInit p : inits) {
      List<Extension> extensions = p.publicExtensions().stream()
          .map(e -> new Extension(e.type(), e.data())).toList();
      // Section 4.1.1: times travel in time-precision units; the Leader stored the client's time in seconds.
      ReportMetadata metadata = new ReportMetadata(p.reportId(), Math.floorDiv(p.time().seconds(), precision),
          extensions);
      wire.add(new VerifyInit(new ReportShare(metadata, p.publicShare(), p.helperEncryptedInputShare()),
          p.message()));
      ids.add(p.reportId());
    }
    byte[] body = new AggregationJobInitReq(VERIFICATION_KEY_ID, aggregationParameter,
        extensions(task, batchId), wire).toBytes();
    AuthenticationHeader auth = authHeader(task);
    HttpRequest request = requests.http().request(DapHttpClient.resolve(task.peerAggregatorEndpoint(),
            Dap18.aggregationJobsPath(task.id())))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", AggregationJobInitReq.MEDIA_TYPE)
        .header(auth.name(), auth.value())
        .build();
    Dap18Requests.Answer answer = send(request, location -> poll(auth, location.orElseThrow(
        () -> new InvalidHelperResponseException("the Helper deferred the aggregation job of " + jobId
            + " without naming it in Location")), 0), deadline);
    URI location = answer.location().map(Dap18AggregationJobHelper::resource).orElseThrow(
        () -> new InvalidHelperResponseException("the Helper created aggregation job " + jobId
            + " without naming it in Location"));
    return new Initialized(responses(answer.body(), ids), Optional.of(location));
  }

  /** Section 5.2.2: a leader-selected job names its batch; a time-interval job carries no extension. */
  private static List<AggregationJobExtension> extensions(Task task, Optional<BatchId> batchId) {
    if (task.queryType() instanceof QueryType.FixedSize) {
      return List.of(AggregationJobExtension.leaderSelectedBatchId(batchId.orElseThrow(
          () -> new IllegalStateException("a leader-selected aggregation job of task " + task.id()
              + " has no batch ID"))));
    }
    return List.of();
  }

  @Override
  public List<PrepareResponse> continueJob(Task task, AggregationJobId jobId, Optional<URI> helperLocation,
      int step, List<PrepareContinue> continues, Instant deadline) throws InterruptedException {
    URI job = helperLocation.orElseThrow(() -> new IllegalStateException("aggregation job " + jobId
        + " has no Helper location to continue it at"));
    List<VerifyContinue> wire = new ArrayList<>(continues.size());
    List<ReportId> ids = new ArrayList<>(continues.size());
    for (PrepareContinue c : continues) {
      wire.add(new VerifyContinue(c.reportId(), c.message()));
      ids.add(c.reportId());
    }
    byte[] body = new AggregationJobContinueReq(step, wire).toBytes();
    AuthenticationHeader auth = authHeader(task);
    HttpRequest request = requests.http().request(job)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", AggregationJobContinueReq.MEDIA_TYPE)
        .header(auth.name(), auth.value())
        .build();
    // Section 4.5.4.2: a deferred continuation names the job with ?step=N; without it, the job's own URL is polled.
    Dap18Requests.Answer answer = send(request, location -> poll(auth, location.orElse(job), step), deadline);
    return responses(answer.body(), ids);
  }

  @Override
  public void delete(Task task, AggregationJobId jobId, Optional<URI> helperLocation, Instant deadline)
      throws InterruptedException {
    if (helperLocation.isEmpty()) {
      // The Helper never named the job, so the Leader cannot address it; it holds nothing the Leader knows of.
      LOG.fine(() -> "aggregation job " + jobId + " has no Helper location; nothing to delete");
      return;
    }
    AuthenticationHeader auth = authHeader(task);
    HttpRequest request = requests.http().request(helperLocation.get()).DELETE()
        .header(auth.name(), auth.value()).build();
    try {
      requests.http().send(request, deadline);
    } catch (DapRequestException e) {
      int status = e.status().orElse(0);
      boolean gone = status == 404 || status == 410
          || e.problemType().filter(t -> t == DapProblemType.UNRECOGNIZED_AGGREGATION_JOB).isPresent();
      if (!gone) {
        throw Dap18Requests.authenticationIsNotFinal(e);
      }
    }
  }

  private Dap18Requests.Answer send(HttpRequest request,
      java.util.function.Function<Optional<URI>, HttpRequest> poll, Instant deadline) throws InterruptedException {
    try {
      return requests.send(request, poll, deadline);
    } catch (NotReadyException e) {
      // The driver keeps the job's location: store the resource, not this poll's step.
      throw new NotReadyException(e.getMessage(), e.location().map(Dap18AggregationJobHelper::resource),
          e.retryAfter());
    }
  }

  /** {@code GET {job}?step={step}} (sections 4.5.3.2 and 4.5.4.2: every poll names the Leader's step). */
  private HttpRequest poll(AuthenticationHeader auth, URI job, int step) {
    return requests.http().request(withStep(job, step)).GET().header(auth.name(), auth.value()).build();
  }

  private List<PrepareResponse> responses(byte[] body, List<ReportId> sent) {
    AggregationJobResp resp;
    try {
      resp = AggregationJobResp.decode(body);
    } catch (DecodeException e) {
      throw new InvalidHelperResponseException("the Helper's AggregationJobResp does not decode: " + e.getMessage());
    }
    List<VerifyResp> wire = resp.verifyResps();
    if (wire.size() != sent.size()) {
      throw new InvalidHelperResponseException("the Helper answered " + wire.size() + " reports, "
          + sent.size() + " were sent");
    }
    List<PrepareResponse> out = new ArrayList<>(wire.size());
    for (int i = 0; i < wire.size(); i++) {
      VerifyResp r = wire.get(i);
      // Sections 4.5.3.1 and 4.5.4.1: exactly the reports sent, in the same order, or the job is abandoned.
      if (!r.reportId().equals(sent.get(i))) {
        throw new InvalidHelperResponseException("the Helper's response " + i + " is for report " + r.reportId()
            + ", expected " + sent.get(i));
      }
      out.add(switch (r.result()) {
        case VerifyResp.Continue c -> new PrepareResponse.Continue(r.reportId(), c.payload());
        case VerifyResp.Finish f -> new PrepareResponse.Finished(r.reportId());
        case VerifyResp.Reject j -> new PrepareResponse.Reject(r.reportId(), failure(j.error()));
      });
    }
    return out;
  }

  /** The stored meaning of a draft 18 report error (section 4.1; codes 1..11, not draft 09's). */
  static ReportFailure failure(ReportError e) {
    return switch (e) {
      case BATCH_COLLECTED -> ReportFailure.BATCH_COLLECTED;
      case REPORT_REPLAYED -> ReportFailure.REPORT_REPLAYED;
      case REPORT_DROPPED -> ReportFailure.REPORT_DROPPED;
      case HPKE_UNKNOWN_CONFIG_ID -> ReportFailure.HPKE_UNKNOWN_CONFIG_ID;
      case HPKE_DECRYPT_ERROR -> ReportFailure.HPKE_DECRYPT_ERROR;
      case VDAF_VERIFY_ERROR -> ReportFailure.VDAF_PREP_ERROR;
      case TASK_EXPIRED -> ReportFailure.TASK_EXPIRED;
      case INVALID_MESSAGE -> ReportFailure.INVALID_MESSAGE;
      case REPORT_TOO_EARLY -> ReportFailure.REPORT_TOO_EARLY;
      case TASK_NOT_STARTED -> ReportFailure.TASK_NOT_STARTED;
      case OUTDATED_CONFIG -> ReportFailure.OUTDATED_CONFIG;
    };
  }

  /** The job's own URL: {@code location} without a {@code step} query parameter. */
  static URI resource(URI location) {
    return withQuery(location, stepless(location.getRawQuery()));
  }

  /** {@code job} with its {@code step} query parameter set to {@code step}, other parameters kept. */
  static URI withStep(URI job, int step) {
    String rest = stepless(job.getRawQuery());
    String q = Dap18.QUERY_STEP + "=" + step;
    return withQuery(job, rest == null ? q : rest + "&" + q);
  }

  private static String stepless(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      if (!p.isEmpty() && !p.equals(Dap18.QUERY_STEP) && !p.startsWith(Dap18.QUERY_STEP + "=")) {
        kept.add(p);
      }
    }
    return kept.isEmpty() ? null : String.join("&", kept);
  }

  /** {@code uri} (absolute: a Location is resolved before use) with another query and no fragment. */
  private static URI withQuery(URI uri, String rawQuery) {
    try {
      return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? ""
          : uri.getRawPath()) + (rawQuery == null ? "" : "?" + rawQuery));
    } catch (URISyntaxException e) {
      throw new InvalidHelperResponseException("the Helper's job location " + uri + " is not a usable URL");
    }
  }

  private static AuthenticationHeader authHeader(Task task) {
    return AuthenticationHeaders.header(task.aggregatorAuthToken().orElseThrow(
        () -> new IllegalArgumentException("task " + task.id() + " has no token to present to the Helper")));
  }
}
