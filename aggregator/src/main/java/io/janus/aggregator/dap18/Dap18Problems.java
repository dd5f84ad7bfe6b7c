package io.janus.aggregator.dap18;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.janus.aggregator.DapException;
import io.janus.aggregator.ProblemDocuments;
import io.janus.messages.DapProblemType;
import io.janus.messages.dap18.Dap18;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Draft 18's problem documents (section 3.6): each {@link DapException} that names a DAP problem gets draft 18's
 * type and {@link Dap18#problemStatus}; the HTTP-level failures (404, 409, 410, 413, 415, 429, ...) are answered as
 * for DAP-09 by {@link ProblemDocuments}. Draft 18 has no {@code unauthorizedRequest}: an authentication failure is
 * 403 with a problem document of no DAP type (DAP18.md ambiguity 4). Draft 09 problems without a draft-18 meaning
 * map to their nearest draft-18 type.
 */
final class Dap18Problems {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ABOUT_BLANK = "about:blank";

  private Dap18Problems() {}

  /** The draft-18 problem type of {@code e}, or empty if it is an HTTP-level failure. */
  static Optional<DapProblemType> typeOf(DapException e) {
    DapProblemType type = switch (e) {
      case DapException.InvalidMessage x -> DapProblemType.INVALID_MESSAGE;
      case DapException.UnrecognizedTask x -> DapProblemType.UNRECOGNIZED_TASK;
      case DapException.UnrecognizedAggregationJob x -> DapProblemType.UNRECOGNIZED_AGGREGATION_JOB;
      case DapException.BatchInvalid x -> DapProblemType.BATCH_INVALID;
      case DapException.InvalidBatchSize x -> DapProblemType.INVALID_BATCH_SIZE;
      case DapException.InvalidAggregationParameter x -> DapProblemType.INVALID_AGGREGATION_PARAMETER;
      // Section 4.3: a batch collected again under another parameter fails the parameter's validity check.
      case DapException.BatchQueriedTooManyTimes x -> DapProblemType.INVALID_AGGREGATION_PARAMETER;
      case DapException.BatchMismatch x -> DapProblemType.BATCH_MISMATCH;
      case DapException.StepMismatch x -> DapProblemType.STEP_MISMATCH;
      case DapException.BatchOverlap x -> DapProblemType.BATCH_OVERLAP;
      case DapException.UnsupportedExtension x -> DapProblemType.UNSUPPORTED_EXTENSION;
      case DapException.InvalidExtension x -> DapProblemType.INVALID_EXTENSION;
      // Per-report errors in draft 18, never a request's problem; mapped in case a path raises them anyway.
      case DapException.OutdatedConfig x -> DapProblemType.INVALID_MESSAGE;
      case DapException.ReportRejected x -> DapProblemType.INVALID_MESSAGE;
      case DapException.ReportTooEarly x -> DapProblemType.INVALID_MESSAGE;
      case DapException.InvalidTask x -> DapProblemType.INVALID_MESSAGE;
      case DapException.FailedCollectionJob x -> Dap18.PROBLEM_TYPES.contains(x.type()) ? x.type()
          : DapProblemType.INVALID_MESSAGE;
      case DapException.UnauthorizedRequest x -> null;
      case DapException.MissingTaskId x -> null;
      case DapException.DeletedAggregationJob x -> null;
      case DapException.UnrecognizedCollectionJob x -> null;
      case DapException.UnrecognizedAggregateShare x -> null;
      case DapException.AbandonedCollectionJob x -> null;
      case DapException.ForbiddenMutation x -> null;
      case DapException.PayloadTooLarge x -> null;
      case DapException.TooManyRequests x -> null;
      case DapException.BodyTimeout x -> null;
      case DapException.UnsupportedMediaType x -> null;
      case DapException.MethodNotAllowed x -> null;
    };
    return Optional.ofNullable(type);
  }

  /** Sends {@code e} as a draft-18 problem document. */
  static void send(ServerResponse res, DapException e) {
    Status status;
    String type;
    String title;
    Optional<DapProblemType> dapType = typeOf(e);
    if (dapType.isPresent()) {
      status = Status.create(Dap18.problemStatus(dapType.get()));
      type = dapType.get().urn();
      title = dapType.get().title();
    } else if (e instanceof DapException.UnauthorizedRequest) {
      status = Status.FORBIDDEN_403;
      type = ABOUT_BLANK;
      title = status.reasonPhrase();
    } else if (e instanceof DapException.MissingTaskId) {
      // No global HPKE key: draft 18 clients cannot name a task, so there is nothing to serve.
      status = Status.NOT_FOUND_404;
      type = ABOUT_BLANK;
      title = status.reasonPhrase();
    } else {
      ProblemDocuments.send(res, e);
      return;
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", type);
    doc.put("title", title);
    doc.put("status", status.code());
    doc.put("detail", e instanceof DapException.MissingTaskId
        ? "This aggregator has no HPKE configuration to offer." : e.detail());
    e.taskId().ifPresent(t -> doc.put(Dap18.PROBLEM_MEMBER_TASK_ID, t.toBase64Url()));
    if (e instanceof DapException.UnsupportedExtension u) {
      doc.put(Dap18.PROBLEM_MEMBER_UNSUPPORTED_EXTENSIONS, List.copyOf(u.types()));
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(doc);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot serialize a problem document", ex);
    }
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, ProblemDocuments.MEDIA_TYPE);
    res.send(body);
  }
}
