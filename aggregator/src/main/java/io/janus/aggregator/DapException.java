package io.janus.aggregator;

import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.TaskId;
import java.util.Optional;

/**
 * A protocol failure that aborts one HTTP request. Each subclass names one DAP problem (or one Janus-specific
 * condition) and {@link ProblemDocuments} turns it into the response; nothing else builds error responses.
 *
 * <p>The detail is a short, client-safe sentence: it never carries share values, keys or stack traces.
 */
public abstract sealed class DapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<TaskId> taskId;

  private DapException(Optional<TaskId> taskId, String detail) {
    super(detail, null, false, false);
    this.taskId = taskId;
  }

  /** The task the request named, when it was known at the time of failure. */
  public final Optional<TaskId> taskId() {
    return taskId;
  }

  /** The client-safe detail sentence. */
  public final String detail() {
    return getMessage();
  }

  /** A message could not be parsed or was otherwise invalid ({@code invalidMessage}). */
  public static final class InvalidMessage extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a failure before the task was known. */
    public InvalidMessage(String detail) {
      super(Optional.empty(), detail);
    }

    /** For a failure in {@code taskId}. */
    public InvalidMessage(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /**
   * The aggregation parameter is not valid for the task's VDAF or its batch ({@code invalidAggregationParameter} in
   * DAP-18 section 4.3; DAP-09 answers {@code invalidMessage}).
   */
  public static final class InvalidAggregationParameter extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}. */
    public InvalidAggregationParameter(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /**
   * A request carries an extension this aggregator does not support ({@code unsupportedExtension}, DAP-18 only;
   * DAP-09 answers {@code invalidMessage}).
   */
  public static final class UnsupportedExtension extends DapException {
    private static final long serialVersionUID = 1L;

    private final transient java.util.List<Integer> types;

    /** For {@code taskId}, naming the unsupported extension types. */
    public UnsupportedExtension(TaskId taskId, java.util.List<Integer> types) {
      super(Optional.of(taskId), "The request carries unsupported extensions: " + types + ".");
      this.types = java.util.List.copyOf(types);
    }

    /** The unsupported extension types, in request order. */
    public java.util.List<Integer> types() {
      return types;
    }
  }

  /**
   * A request's extensions are malformed or out of order ({@code invalidExtension}, DAP-18 only; DAP-09 answers
   * {@code invalidMessage}).
   */
  public static final class InvalidExtension extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}. */
    public InvalidExtension(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /** The task ID is unknown, or names a task in which this aggregator does not play the needed role. */
  public static final class UnrecognizedTask extends DapException {
    private static final long serialVersionUID = 1L;

    /** For the task {@code taskId}. */
    public UnrecognizedTask(TaskId taskId) {
      super(Optional.of(taskId), "The task ID is not recognized.");
    }
  }

  /**
   * This aggregator opts out of a task offered in-band ({@code invalidTask}, draft-wang-ppm-dap-taskprov-04
   * section 2; Janus 0.7's {@code Error::InvalidTask}): the detail says why.
   */
  public static final class InvalidTask extends DapException {
    private static final long serialVersionUID = 1L;

    /** For the task {@code taskId}. */
    public InvalidTask(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /** The aggregation job ID is unknown ({@code unrecognizedAggregationJob}). */
  public static final class UnrecognizedAggregationJob extends DapException {
    private static final long serialVersionUID = 1L;

    private final AggregationJobId jobId;

    /** For job {@code jobId} of task {@code taskId}. */
    public UnrecognizedAggregationJob(TaskId taskId, AggregationJobId jobId) {
      super(Optional.of(taskId), "The aggregation job ID is not recognized.");
      this.jobId = jobId;
    }

    /** The job the request named. */
    public AggregationJobId jobId() {
      return jobId;
    }
  }

  /** The report was sealed to an HPKE config this aggregator does not (or no longer) hold ({@code outdatedConfig}). */
  public static final class OutdatedConfig extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a report of {@code taskId} sealed to config {@code configId}. */
    public OutdatedConfig(TaskId taskId, int configId) {
      super(Optional.of(taskId), "The report was encrypted to the unknown HPKE config " + configId + ".");
    }
  }

  /** The report cannot be accepted for the given reason ({@code reportRejected}). */
  public static final class ReportRejected extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a report of {@code taskId}; {@code detail} says why without revealing internals. */
    public ReportRejected(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /** The report's timestamp is too far in the future ({@code reportTooEarly}). */
  public static final class ReportTooEarly extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a report of {@code taskId}. */
    public ReportTooEarly(TaskId taskId) {
      super(Optional.of(taskId), "The report's timestamp is too far in the future.");
    }
  }

  /** The query's batch fails the boundary check ({@code batchInvalid}). */
  public static final class BatchInvalid extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}; {@code detail} names the violated boundary. */
    public BatchInvalid(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /** The batch holds too few or too many reports ({@code invalidBatchSize}). */
  public static final class InvalidBatchSize extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId} with a batch of {@code reportCount} reports. */
    public InvalidBatchSize(TaskId taskId, long reportCount) {
      super(Optional.of(taskId), "The batch holds " + reportCount + " reports, outside the task's bounds.");
    }
  }

  /** The batch was already queried with {@code max_batch_query_count} aggregation parameters. */
  public static final class BatchQueriedTooManyTimes extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}. */
    public BatchQueriedTooManyTimes(TaskId taskId) {
      super(Optional.of(taskId), "The batch has been queried too many times.");
    }
  }

  /** The Leader's report count or checksum differs from the Helper's ({@code batchMismatch}). */
  public static final class BatchMismatch extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}; {@code detail} gives both counts. */
    public BatchMismatch(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /** The request's authentication token is missing or wrong ({@code unauthorizedRequest}). */
  public static final class UnauthorizedRequest extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}. */
    public UnauthorizedRequest(TaskId taskId) {
      super(Optional.of(taskId), "The request's authorization is not valid.");
    }
  }

  /** HPKE configuration was requested without a task ID where one is required ({@code missingTaskID}). */
  public static final class MissingTaskId extends DapException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public MissingTaskId() {
      super(Optional.empty(), "A task ID is required.");
    }
  }

  /** The Leader's continuation step does not follow the Helper's ({@code stepMismatch}). */
  public static final class StepMismatch extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}, expecting {@code expected} and receiving {@code got}. */
    public StepMismatch(TaskId taskId, int expected, int got) {
      super(Optional.of(taskId), "Expected step " + expected + ", got step " + got + ".");
    }

    /** For {@code taskId}, with the detail of an earlier failure. */
    public StepMismatch(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /** The batch overlaps a batch that was collected before ({@code batchOverlap}). */
  public static final class BatchOverlap extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}. */
    public BatchOverlap(TaskId taskId) {
      super(Optional.of(taskId), "The batch overlaps a previously collected batch.");
    }
  }

  /** The aggregation job was deleted by the Leader (Janus answers 410 Gone). */
  public static final class DeletedAggregationJob extends DapException {
    private static final long serialVersionUID = 1L;

    private final AggregationJobId jobId;

    /** For job {@code jobId} of task {@code taskId}. */
    public DeletedAggregationJob(TaskId taskId, AggregationJobId jobId) {
      super(Optional.of(taskId), "The aggregation job has been deleted.");
      this.jobId = jobId;
    }

    /** The deleted job. */
    public AggregationJobId jobId() {
      return jobId;
    }
  }

  /** The aggregate share named by the request is unknown here (404 Not Found; DAP-18's aggregate share resource). */
  public static final class UnrecognizedAggregateShare extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a share of task {@code taskId}. */
    public UnrecognizedAggregateShare(TaskId taskId) {
      super(Optional.of(taskId), "The aggregate share is not recognized.");
    }
  }

  /** The collection job ID is unknown (404 Not Found, as Janus answers). */
  public static final class UnrecognizedCollectionJob extends DapException {
    private static final long serialVersionUID = 1L;

    private final CollectionJobId jobId;

    /** For job {@code jobId} of task {@code taskId}. */
    public UnrecognizedCollectionJob(TaskId taskId, CollectionJobId jobId) {
      super(Optional.of(taskId), "The collection job ID is not recognized.");
      this.jobId = jobId;
    }

    /** The job the request named. */
    public CollectionJobId jobId() {
      return jobId;
    }
  }

  /**
   * The collection job was abandoned after repeated failures; it will never finish. Answered with 500 and a
   * problem type of this implementation's, {@link #TYPE}, so a Collector can tell it from a passing server error.
   */
  public static final class AbandonedCollectionJob extends DapException {
    private static final long serialVersionUID = 1L;

    /** The problem type of an abandoned collection job. */
    public static final String TYPE = "urn:janus-java:problem:collectionJobAbandoned";

    private final CollectionJobId jobId;

    /** For job {@code jobId} of task {@code taskId}, abandoned for {@code reason} (empty if none was recorded). */
    public AbandonedCollectionJob(TaskId taskId, CollectionJobId jobId, String reason) {
      super(Optional.of(taskId), "The collection job was abandoned after repeated failures and will not finish"
          + (reason.isEmpty() ? "." : ": " + reason) + " Create a new collection job to try again.");
      this.jobId = jobId;
    }

    /** The abandoned job. */
    public CollectionJobId jobId() {
      return jobId;
    }
  }

  /**
   * The collection job failed for good with a DAP problem (for example the Helper answered {@code batchMismatch}):
   * polls answer with that problem (draft 09 section 4.6.1).
   */
  public static final class FailedCollectionJob extends DapException {
    private static final long serialVersionUID = 1L;

    private final DapProblemType type;

    /** For a job of {@code taskId} that failed with {@code type}. */
    public FailedCollectionJob(TaskId taskId, DapProblemType type, String detail) {
      super(Optional.of(taskId), detail);
      this.type = type;
    }

    /** The DAP problem the job failed with. */
    public DapProblemType type() {
      return type;
    }
  }

  /** A request tried to change an existing resource (an aggregation or collection job): 409 Conflict. */
  public static final class ForbiddenMutation extends DapException {
    private static final long serialVersionUID = 1L;

    /** For {@code taskId}; {@code detail} names the resource. */
    public ForbiddenMutation(TaskId taskId, String detail) {
      super(Optional.of(taskId), detail);
    }
  }

  /** No DAP draft serves the request's method on its path: 405 Method Not Allowed. */
  public static final class MethodNotAllowed extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a request with method {@code method}. */
    public MethodNotAllowed(String method) {
      super(Optional.empty(), "This resource does not support " + method + ".");
    }
  }

  /** The request body is longer than the endpoint reads: 413 Content Too Large. */
  public static final class PayloadTooLarge extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a body over {@code limit} bytes. */
    public PayloadTooLarge(long limit) {
      super(Optional.empty(), "The request body is longer than the " + limit + " bytes this endpoint accepts.");
    }
  }

  /** The Helper is at capacity and sheds this request: 429 Too Many Requests with {@code Retry-After}. */
  public static final class TooManyRequests extends DapException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /** Asks the client to retry after {@code retryAfterSeconds}. */
    public TooManyRequests(long retryAfterSeconds) {
      super(Optional.empty(), "The server is busy; retry after " + retryAfterSeconds + " seconds.");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The wait to advertise. */
    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** The request body did not arrive in full within the body timeout: 408 Request Timeout. */
  public static final class BodyTimeout extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a body that took longer than {@code timeout}. */
    public BodyTimeout(java.time.Duration timeout) {
      super(Optional.empty(), "The request body did not arrive within " + timeout.toSeconds() + " seconds.");
    }
  }

  /** The request's Content-Type is not the one the resource takes: 415 Unsupported Media Type. */
  public static final class UnsupportedMediaType extends DapException {
    private static final long serialVersionUID = 1L;

    /** For a request that had to carry {@code expected}. */
    public UnsupportedMediaType(String expected) {
      super(Optional.empty(), "The request's Content-Type must be " + expected + ".");
    }
  }
}
