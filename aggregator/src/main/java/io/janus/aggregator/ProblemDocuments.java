package io.janus.aggregator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.janus.messages.DapProblemType;
import io.janus.messages.TaskId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.janus.server.datastore.DatastoreUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link DapException} into an RFC 9457 problem document ({@code application/problem+json}). This is the
 * one place that maps failures to HTTP statuses; {@link #register} installs it, with a catch-all that logs
 * unexpected failures and answers a bare 500 so clients never see internal messages.
 */
public final class ProblemDocuments {
  /** The problem-document media type (RFC 9457 section 3). */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final System.Logger LOG = System.getLogger(ProblemDocuments.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ABOUT_BLANK = "about:blank";

  private ProblemDocuments() {}

  /**
   * A rendered problem.
   *
   * @param status the HTTP status
   * @param type the problem type URI
   * @param title the short summary
   * @param detail the occurrence-specific explanation
   * @param taskId the task, sent as the DAP {@code taskid} member when known
   */
  public record Problem(Status status, String type, String title, String detail, Optional<TaskId> taskId) {
    /** The JSON document, members in RFC 9457 order. */
    public byte[] toJson() {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("type", type);
      doc.put("title", title);
      doc.put("status", status.code());
      doc.put("detail", detail);
      taskId.ifPresent(t -> doc.put("taskid", t.toBase64Url()));
      try {
        return JSON.writeValueAsBytes(doc);
      } catch (JsonProcessingException e) {
        // Strings and ints always serialize; reaching this is a bug.
        throw new IllegalStateException("cannot serialize a problem document", e);
      }
    }
  }

  /** Maps {@code e} to its problem: DAP problems get their URN and (as Janus does) 403 or 400. */
  public static Problem problemFor(DapException e) {
    return switch (e) {
      case DapException.InvalidMessage x -> dap(DapProblemType.INVALID_MESSAGE, x);
      // Draft 09 has no finer types for these three.
      case DapException.InvalidAggregationParameter x -> dap(DapProblemType.INVALID_MESSAGE, x);
      case DapException.UnsupportedExtension x -> dap(DapProblemType.INVALID_MESSAGE, x);
      case DapException.InvalidExtension x -> dap(DapProblemType.INVALID_MESSAGE, x);
      case DapException.UnrecognizedTask x -> dap(DapProblemType.UNRECOGNIZED_TASK, x);
      case DapException.UnrecognizedAggregationJob x -> dap(DapProblemType.UNRECOGNIZED_AGGREGATION_JOB, x);
      case DapException.OutdatedConfig x -> dap(DapProblemType.OUTDATED_CONFIG, x);
      case DapException.ReportRejected x -> dap(DapProblemType.REPORT_REJECTED, x);
      case DapException.ReportTooEarly x -> dap(DapProblemType.REPORT_TOO_EARLY, x);
      case DapException.BatchInvalid x -> dap(DapProblemType.BATCH_INVALID, x);
      case DapException.InvalidBatchSize x -> dap(DapProblemType.INVALID_BATCH_SIZE, x);
      case DapException.BatchQueriedTooManyTimes x -> dap(DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES, x);
      case DapException.BatchMismatch x -> dap(DapProblemType.BATCH_MISMATCH, x);
      case DapException.UnauthorizedRequest x -> dap(DapProblemType.UNAUTHORIZED_REQUEST, x);
      case DapException.MissingTaskId x -> dap(DapProblemType.MISSING_TASK_ID, x);
      case DapException.StepMismatch x -> dap(DapProblemType.STEP_MISMATCH, x);
      case DapException.BatchOverlap x -> dap(DapProblemType.BATCH_OVERLAP, x);
      case DapException.InvalidTask x -> dap(DapProblemType.INVALID_TASK, x);
      case DapException.DeletedAggregationJob x -> plain(Status.GONE_410, x);
      case DapException.UnrecognizedCollectionJob x -> plain(Status.NOT_FOUND_404, x);
      case DapException.UnrecognizedAggregateShare x -> plain(Status.NOT_FOUND_404, x);
      case DapException.AbandonedCollectionJob x -> new Problem(Status.INTERNAL_SERVER_ERROR_500,
          DapException.AbandonedCollectionJob.TYPE, "Collection job abandoned", x.detail(), x.taskId());
      case DapException.FailedCollectionJob x -> dap(x.type(), x);
      case DapException.ForbiddenMutation x -> plain(Status.CONFLICT_409, x);
      case DapException.UnsupportedMediaType x -> plain(Status.UNSUPPORTED_MEDIA_TYPE_415, x);
      case DapException.MethodNotAllowed x -> plain(Status.METHOD_NOT_ALLOWED_405, x);
      case DapException.PayloadTooLarge x -> plain(Status.REQUEST_ENTITY_TOO_LARGE_413, x);
      case DapException.BodyTimeout x -> plain(Status.REQUEST_TIMEOUT_408, x);
      case DapException.TooManyRequests x -> plain(Status.TOO_MANY_REQUESTS_429, x);
    };
  }

  private static Problem dap(DapProblemType type, DapException e) {
    // DAP-09 section 3.2: "abort" means 400 unless stated; Janus answers auth failures with 403.
    Status status = type == DapProblemType.UNAUTHORIZED_REQUEST ? Status.FORBIDDEN_403 : Status.BAD_REQUEST_400;
    return new Problem(status, type.urn(), type.title(), e.detail(), e.taskId());
  }

  static Problem plain(Status status, DapException e) {
    return new Problem(status, ABOUT_BLANK, status.reasonPhrase(), e.detail(), e.taskId());
  }

  /** Sends {@code e} as a problem document on {@code res}. */
  public static void send(ServerResponse res, DapException e) {
    Problem p = problemFor(e);
    if (e instanceof DapException.TooManyRequests t) {
      res.header(HeaderNames.RETRY_AFTER, Long.toString(t.retryAfterSeconds()));
    }
    if (e instanceof DapException.PayloadTooLarge || e instanceof DapException.BodyTimeout) {
      // The rest of the body is not read: the connection cannot carry another request.
      res.header(HeaderNames.CONNECTION, "close");
    }
    res.status(p.status());
    res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
    res.send(p.toJson());
  }

  /**
   * Installs the error handlers on {@code routing}: problem documents for {@link DapException}, 503 with
   * {@code Retry-After} when the database is unavailable, a quiet count of client aborts
   * ({@code janus_http_client_aborts} in {@code meters}), the status of Helidon's own {@link HttpException}s (for
   * example a malformed request line), and a logged, bare 500 for anything else.
   */
  public static void register(HttpRouting.Builder routing, MeterRegistry meters) {
    Counter aborts = Counter.builder("janus_http_client_aborts")
        .description("Requests whose client went away or stalled before its body arrived").register(meters);
    routing.error(ClientAbortException.class, (req, res, e) -> clientAborted(req, res, e, aborts));
    routing.error(DapException.class, (req, res, e) -> send(res, e));
    routing.error(DatastoreUnavailableException.class, ProblemDocuments::sendUnavailable);
    routing.error(HttpException.class, ProblemDocuments::sendHttpException);
    routing.error(Exception.class, ProblemDocuments::sendInternalError);
  }

  /**
   * The client disconnected or stopped sending mid-body. That is the client's business, not a server error: it is
   * counted and logged once at debug level (anyone could otherwise flood the logs), and whatever answer still
   * fits on the connection is a bare 400.
   */
  private static void clientAborted(ServerRequest req, ServerResponse res, ClientAbortException e, Counter aborts) {
    aborts.increment();
    LOG.log(System.Logger.Level.DEBUG, () -> "client of " + req.prologue().method().text() + " "
        + req.path().path() + " went away: " + e.getMessage());
    try {
      res.header(HeaderNames.CONNECTION, "close");
      res.status(Status.BAD_REQUEST_400).send();
    } catch (RuntimeException ignored) {
      // The connection is already gone.
    }
  }

  /** How long a client is asked to wait when the database is unavailable. */
  static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

  /**
   * The database is down, restarting or overloaded: 503 with {@code Retry-After} and a problem document, the same
   * for every endpoint. Nothing about the request was wrong and nothing it carried was stored, so the client should
   * retry; logged at warning level without a stack trace, since an outage produces many.
   */
  private static void sendUnavailable(ServerRequest req, ServerResponse res, DatastoreUnavailableException e) {
    LOG.log(System.Logger.Level.WARNING, () -> "request " + req.prologue().method().text() + " "
        + req.path().path() + " answered 503: " + e.getMessage());
    res.status(Status.SERVICE_UNAVAILABLE_503);
    res.header(HeaderNames.RETRY_AFTER, Long.toString(UNAVAILABLE_RETRY_AFTER_SECONDS));
    res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
    res.send(new Problem(Status.SERVICE_UNAVAILABLE_503, ABOUT_BLANK, Status.SERVICE_UNAVAILABLE_503.reasonPhrase(),
        "The service is temporarily unavailable; retry after " + UNAVAILABLE_RETRY_AFTER_SECONDS + " seconds.",
        Optional.empty()).toJson());
  }

  private static void sendHttpException(ServerRequest req, ServerResponse res, HttpException e) {
    if (e.status().code() >= 500) {
      sendInternalError(req, res, e);
      return;
    }
    res.status(e.status());
    res.send();
  }

  private static void sendInternalError(ServerRequest req, ServerResponse res, Exception e) {
    LOG.log(System.Logger.Level.ERROR, "request " + req.prologue().method().text() + " "
        + req.path().path() + " failed", e);
    res.status(Status.INTERNAL_SERVER_ERROR_500);
    res.send();
  }
}
