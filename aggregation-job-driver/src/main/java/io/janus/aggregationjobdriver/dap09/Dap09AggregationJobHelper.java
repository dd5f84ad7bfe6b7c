package io.janus.aggregationjobdriver.dap09;

import io.janus.aggregationjobdriver.AggregationJobHelper;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.core.http.DapRequestException;
import io.janus.core.http.DapHttpClient;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.DecodeException;
import io.janus.messages.ReportId;
import io.janus.messages.dap09.AggregationJobContinueReq;
import io.janus.messages.dap09.AggregationJobInitReq;
import io.janus.messages.dap09.AggregationJobResp;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.dap09.PrepareError;
import io.janus.messages.dap09.PrepareResp;
import io.janus.messages.dap09.ReportMetadata;
import io.janus.messages.dap09.ReportShare;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Helper's aggregation-job API in draft-ietf-ppm-dap-09 (section 4.4): {@code PUT} an
 * {@code AggregationJobInitReq} to create the job, {@code POST} an {@code AggregationJobContinueReq} to advance
 * it, each answered with an {@code AggregationJobResp}. Requests carry the task's aggregator token. The job lives at
 * the path the Leader chose, so no Helper location is ever reported or used.
 */
public final class Dap09AggregationJobHelper implements AggregationJobHelper {
  private final DapHttpClient http;

  /** Creates the client over {@code http}. */
  public Dap09AggregationJobHelper(DapHttpClient http) {
    this.http = http;
  }

  @Override
  public Initialized initialize(Task task, AggregationJobId jobId, byte[] aggregationParameter,
      Optional<BatchId> batchId, List<PrepareInit> inits, Instant deadline) throws InterruptedException {
    List<io.janus.messages.dap09.PrepareInit> wire = new ArrayList<>(inits.size());
    List<ReportId> ids = new ArrayList<>(inits.size());
    for (PrepareInit p : inits) {
      wire.add(new io.janus.messages.dap09.PrepareInit(
          new ReportShare(new ReportMetadata(p.reportId(), p.time()), p.publicShare(), p.helperEncryptedInputShare()),
          p.message()));
      ids.add(p.reportId());
    }
    PartialBatchSelector selector = batchId.<PartialBatchSelector>map(PartialBatchSelector.FixedSize::new)
        .orElseGet(PartialBatchSelector.TimeInterval::new);
    byte[] body = new AggregationJobInitReq(aggregationParameter, selector, wire).toBytes();
    return new Initialized(send(task, jobId, "PUT", AggregationJobInitReq.MEDIA_TYPE, body, ids, deadline),
        Optional.empty());
  }

  @Override
  public List<PrepareResponse> continueJob(Task task, AggregationJobId jobId, Optional<URI> helperLocation,
      int step, List<PrepareContinue> continues, Instant deadline) throws InterruptedException {
    List<io.janus.messages.dap09.PrepareContinue> wire = new ArrayList<>(continues.size());
    List<ReportId> ids = new ArrayList<>(continues.size());
    for (PrepareContinue c : continues) {
      wire.add(new io.janus.messages.dap09.PrepareContinue(c.reportId(), c.message()));
      ids.add(c.reportId());
    }
    byte[] body = new AggregationJobContinueReq(step, wire).toBytes();
    return send(task, jobId, "POST", AggregationJobContinueReq.MEDIA_TYPE, body, ids, deadline);
  }

  @Override
  public void delete(Task task, AggregationJobId jobId, Optional<URI> helperLocation, Instant deadline)
      throws InterruptedException {
    HttpRequest.Builder request = http.request(DapHttpClient.resolve(task.peerAggregatorEndpoint(),
            Dap09.aggregationJobPath(task.id(), jobId)))
        .DELETE()
        .header(authHeader(task).name(), authHeader(task).value());
    taskprov(task, request);
    try {
      http.send(request.build(), deadline);
    } catch (DapRequestException e) {
      // Gone already (410) or never created (404): the Helper holds nothing for the job.
      if (e.status().orElse(0) != 404 && e.status().orElse(0) != 410) {
        throw e;
      }
    }
  }

  /** Adds the task's configuration for a task provisioned in-band, so the Helper can provision it on first sight. */
  private static void taskprov(Task task, HttpRequest.Builder request) {
    task.taskprovConfig().ifPresent(c -> request.header(Dap09.HEADER_TASKPROV, c.headerValue()));
  }

  private static AuthenticationHeader authHeader(Task task) {
    return AuthenticationHeaders.header(task.aggregatorAuthToken().orElseThrow(
        () -> new IllegalArgumentException("task " + task.id() + " has no token to present to the Helper")));
  }

  private List<PrepareResponse> send(Task task, AggregationJobId jobId, String method, String mediaType,
      byte[] body, List<ReportId> sent, Instant deadline) throws InterruptedException {
    AuthenticationHeader auth = authHeader(task);
    HttpRequest.Builder request = http.request(DapHttpClient.resolve(task.peerAggregatorEndpoint(),
            Dap09.aggregationJobPath(task.id(), jobId)))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", mediaType)
        .header(auth.name(), auth.value());
    taskprov(task, request);
    HttpResponse<byte[]> response = http.send(request.build(), deadline);
    AggregationJobResp resp;
    try {
      resp = AggregationJobResp.decode(response.body());
    } catch (DecodeException e) {
      throw new InvalidHelperResponseException("the Helper's AggregationJobResp does not decode: " + e.getMessage());
    }
    List<PrepareResp> wire = resp.prepareResps();
    if (wire.size() != sent.size()) {
      throw new InvalidHelperResponseException("the Helper answered " + wire.size() + " reports, "
          + sent.size() + " were sent");
    }
    List<PrepareResponse> out = new ArrayList<>(wire.size());
    for (int i = 0; i < wire.size(); i++) {
      PrepareResp r = wire.get(i);
      // Draft 09 section 4.4.1.4: the response lists the same reports in the same order.
      if (!r.reportId().equals(sent.get(i))) {
        throw new InvalidHelperResponseException("the Helper's response " + i + " is for report " + r.reportId()
            + ", expected " + sent.get(i));
      }
      out.add(switch (r.result()) {
        case PrepareResp.Continue c -> new PrepareResponse.Continue(r.reportId(), c.payload());
        case PrepareResp.Finished f -> new PrepareResponse.Finished(r.reportId());
        case PrepareResp.Reject j -> new PrepareResponse.Reject(r.reportId(), failure(j.error()));
      });
    }
    return out;
  }

  /** The stored meaning of a draft 09 prepare error. */
  static ReportFailure failure(PrepareError e) {
    return switch (e) {
      case BATCH_COLLECTED -> ReportFailure.BATCH_COLLECTED;
      case REPORT_REPLAYED -> ReportFailure.REPORT_REPLAYED;
      case REPORT_DROPPED -> ReportFailure.REPORT_DROPPED;
      case HPKE_UNKNOWN_CONFIG_ID -> ReportFailure.HPKE_UNKNOWN_CONFIG_ID;
      case HPKE_DECRYPT_ERROR -> ReportFailure.HPKE_DECRYPT_ERROR;
      case VDAF_PREP_ERROR -> ReportFailure.VDAF_PREP_ERROR;
      case BATCH_SATURATED -> ReportFailure.BATCH_SATURATED;
      case TASK_EXPIRED -> ReportFailure.TASK_EXPIRED;
      case INVALID_MESSAGE -> ReportFailure.INVALID_MESSAGE;
      case REPORT_TOO_EARLY -> ReportFailure.REPORT_TOO_EARLY;
    };
  }
}
