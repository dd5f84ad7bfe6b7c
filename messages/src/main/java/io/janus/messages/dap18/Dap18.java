package io.janus.messages.dap18;

import io.janus.messages.AggregationJobId;
import io.janus.messages.Base64Url;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Everything that names draft-ietf-ppm-dap-18 on the wire or in HTTP: media types, HPKE application info, the VDAF
 * application context, route templates and methods, code points, problem types. Code outside
 * {@code io.janus.messages.dap18} asks this class rather than spelling any of these itself.
 *
 * <p>HTTP shape of draft 18 (sections 3.1, 3.2 and appendix A), which differs from draft 09: every resource is
 * created by a POST to a creation URL, and the server picks the new resource's ID and returns it in
 * {@code Location}; creation must be idempotent (a byte-identical body yields the same location). Any request may be
 * answered asynchronously: 2xx, an empty body and {@code Retry-After}, after which the client polls the resource with
 * GET until it gets the representation or a problem document ({@link #isNotReady}).
 */
public final class Dap18 {
  private Dap18() {}

  /** The version tag in HPKE info strings and the VDAF application context (section 4.4.2.1). */
  public static final String VERSION = "dap-18";

  // Media types, section 9.1: one type, the message named by a required parameter.
  /** The one media type draft 18 registers; the {@link #MEDIA_TYPE_PARAMETER} parameter names the message. */
  public static final String MEDIA_TYPE_BASE = "application/ppm-dap";
  /** The required media type parameter naming the message. */
  public static final String MEDIA_TYPE_PARAMETER = "message";
  /** Media type of an {@link io.janus.messages.HpkeConfigList} body (section 4.4.1). */
  public static final String MEDIA_TYPE_HPKE_CONFIG_LIST = "application/ppm-dap;message=hpke-config-list";
  /** Media type of an {@link UploadRequest} (section 4.4.2). */
  public static final String MEDIA_TYPE_UPLOAD_REQ = "application/ppm-dap;message=upload-req";
  /** Media type of an {@link UploadErrors} (section 4.4.2.2). */
  public static final String MEDIA_TYPE_UPLOAD_ERRORS = "application/ppm-dap;message=upload-errors";
  /** Media type of an {@link AggregationJobInitReq} (section 4.5.3.1). */
  public static final String MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ =
      "application/ppm-dap;message=aggregation-job-init-req";
  /** Media type of an {@link AggregationJobResp} (section 4.5.3.2). */
  public static final String MEDIA_TYPE_AGGREGATION_JOB_RESP = "application/ppm-dap;message=aggregation-job-resp";
  /** Media type of an {@link AggregationJobContinueReq} (section 4.5.4.1). */
  public static final String MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ =
      "application/ppm-dap;message=aggregation-job-continue-req";
  /** Media type of an {@link AggregateShareReq} (section 4.6.4). */
  public static final String MEDIA_TYPE_AGGREGATE_SHARE_REQ = "application/ppm-dap;message=aggregate-share-req";
  /** Media type of an {@link AggregateShare} (section 4.6.4). */
  public static final String MEDIA_TYPE_AGGREGATE_SHARE = "application/ppm-dap;message=aggregate-share";
  /** Media type of a {@link CollectionJobReq} (section 4.6.1). */
  public static final String MEDIA_TYPE_COLLECTION_JOB_REQ = "application/ppm-dap;message=collection-job-req";
  /** Media type of a {@link CollectionJobResp} (section 4.6.1). */
  public static final String MEDIA_TYPE_COLLECTION_JOB_RESP = "application/ppm-dap;message=collection-job-resp";

  /** Every media type draft 18 defines. */
  public static final Set<String> MEDIA_TYPES = Set.of(
      MEDIA_TYPE_HPKE_CONFIG_LIST, MEDIA_TYPE_UPLOAD_REQ, MEDIA_TYPE_UPLOAD_ERRORS,
      MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ, MEDIA_TYPE_AGGREGATION_JOB_RESP, MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ,
      MEDIA_TYPE_AGGREGATE_SHARE_REQ, MEDIA_TYPE_AGGREGATE_SHARE, MEDIA_TYPE_COLLECTION_JOB_REQ,
      MEDIA_TYPE_COLLECTION_JOB_RESP);

  // HPKE application info labels, sections 4.4.2.1, 4.5.3.3 and 4.6.7.
  /** Label of the info string under which a Client seals an input share. */
  public static final String LABEL_INPUT_SHARE = "dap-18 input share";
  /** Label of the info string under which an Aggregator seals an aggregate share. */
  public static final String LABEL_AGGREGATE_SHARE = "dap-18 aggregate share";

  // Route templates relative to an aggregator's API URL, sections 3, 4.4, 4.5, 4.6 and appendix A. The draft writes
  // the variables {task-id} etc.; the template names below are ours.
  /** Path parameter holding the base64url task ID. */
  public static final String PARAM_TASK_ID = "task_id";
  /** Path parameter holding the base64url aggregation job ID. */
  public static final String PARAM_AGGREGATION_JOB_ID = "aggregation_job_id";
  /** Path parameter holding the base64url collection job ID. */
  public static final String PARAM_COLLECTION_JOB_ID = "collection_job_id";
  /** Path parameter holding the base64url aggregate share ID. */
  public static final String PARAM_AGGREGATE_SHARE_ID = "aggregate_share_id";
  /**
   * Query parameter of {@link #ROUTE_AGGREGATION_JOB} naming the step the Leader is on: required on every GET, and
   * in the {@code Location} of a job that is not ready ({@code step=0} after init; sections 4.5.3.2, 4.5.4.2).
   */
  public static final String QUERY_STEP = "step";
  /** GET: the aggregator's HPKE configurations; draft 18 has no {@code task_id} query parameter. */
  public static final String ROUTE_HPKE_CONFIG = "/hpke_config";
  /** POST: upload reports in bulk (Leader). */
  public static final String ROUTE_REPORTS = "/tasks/{task_id}/reports";
  /** POST: create an aggregation job; the Helper answers with its {@code Location}. */
  public static final String ROUTE_AGGREGATION_JOBS = "/tasks/{task_id}/aggregation_jobs";
  /** POST: continue, GET (with {@code ?step=}): poll, DELETE: abandon an aggregation job (Helper). */
  public static final String ROUTE_AGGREGATION_JOB = "/tasks/{task_id}/aggregation_jobs/{aggregation_job_id}";
  /** POST: create a collection job; the Leader answers with its {@code Location}. */
  public static final String ROUTE_COLLECTION_JOBS = "/tasks/{task_id}/collection_jobs";
  /** GET: poll, DELETE: abandon a collection job (Leader). */
  public static final String ROUTE_COLLECTION_JOB = "/tasks/{task_id}/collection_jobs/{collection_job_id}";
  /** POST: create an aggregate share; the Helper answers with its {@code Location}. */
  public static final String ROUTE_AGGREGATE_SHARES = "/tasks/{task_id}/aggregate_shares";
  /** GET: poll, DELETE: abandon an aggregate share (Helper). */
  public static final String ROUTE_AGGREGATE_SHARE = "/tasks/{task_id}/aggregate_shares/{aggregate_share_id}";
  /** Response header carrying a created resource's location (section 3.2). */
  public static final String HEADER_LOCATION = "Location";
  /** Response header suggesting when to poll a resource that is not ready (section 3.1). */
  public static final String HEADER_RETRY_AFTER = "Retry-After";

  // Code points, section 9.2.
  /** Task extension {@code task_interval} (section 4.2.3), data an {@link Interval}. */
  public static final int TASK_EXTENSION_TASK_INTERVAL = 0x0001;
  /** Aggregation job extension {@code leader_selected_batch_id} (section 5.2.2), data a 32-byte batch ID. */
  public static final int AGGREGATION_JOB_EXTENSION_LEADER_SELECTED_BATCH_ID = 0x0001;
  /** The code point every extension registry reserves; draft 18 registers no report or collection job extension. */
  public static final int EXTENSION_RESERVED = 0x0000;
  /** Problem document member listing unsupported extension code points with {@code unsupportedExtension}. */
  public static final String PROBLEM_MEMBER_UNSUPPORTED_EXTENSIONS = "unsupported_extensions";
  /** Problem document member carrying the base64url task ID (section 3.6). */
  public static final String PROBLEM_MEMBER_TASK_ID = "taskid";

  /**
   * The problem types draft 18 defines (section 3.6). Draft 09's {@code outdatedConfig}, {@code reportRejected},
   * {@code reportTooEarly}, {@code batchQueriedTooManyTimes}, {@code unauthorizedRequest} and
   * {@code missingTaskID} are gone: the first three became per-report {@link ReportError}s in {@link UploadErrors},
   * and the last three have no DAP-18 meaning.
   */
  public static final Set<DapProblemType> PROBLEM_TYPES = Set.copyOf(EnumSet.of(
      DapProblemType.INVALID_MESSAGE, DapProblemType.UNRECOGNIZED_TASK, DapProblemType.UNRECOGNIZED_AGGREGATION_JOB,
      DapProblemType.BATCH_INVALID, DapProblemType.INVALID_BATCH_SIZE, DapProblemType.INVALID_AGGREGATION_PARAMETER,
      DapProblemType.BATCH_MISMATCH, DapProblemType.STEP_MISMATCH, DapProblemType.BATCH_OVERLAP,
      DapProblemType.UNSUPPORTED_EXTENSION, DapProblemType.INVALID_EXTENSION));

  /**
   * The HTTP status to send with a draft-18 problem type: 400 for every one. Section 3.6 says an abort answers with a
   * client error and assigns no per-type status; section 3.3 lets clients treat any 4xx as 400, so one status keeps
   * the answer predictable.
   *
   * @throws IllegalArgumentException if draft 18 does not define {@code type}
   */
  public static int problemStatus(DapProblemType type) {
    if (!PROBLEM_TYPES.contains(type)) {
      throw new IllegalArgumentException(type.errorName() + " is not a draft-18 problem type");
    }
    return 400;
  }

  /**
   * True if a response means "not ready yet, poll again" (section 3.1): a successful status with an empty body.
   * Every draft-18 resource representation is non-empty, so an empty 2xx body is never a result.
   */
  public static boolean isNotReady(int httpStatus, byte[] body) {
    return httpStatus >= 200 && httpStatus < 300 && body.length == 0;
  }

  /**
   * The {@code message} parameter of a {@code Content-Type} value, if the value is {@code application/ppm-dap}.
   * Type, subtype and parameter names compare case-insensitively and a quoted value is unquoted (RFC 9110 section
   * 8.3); other parameters, such as the optional {@code version} hint of section 9.1, are ignored.
   */
  public static Optional<String> message(String contentType) {
    String[] parts = contentType.split(";");
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE_BASE)) {
      return Optional.empty();
    }
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = parts[i].substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (name.equals(MEDIA_TYPE_PARAMETER)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /**
   * True if {@code contentType} names the same draft-18 message as {@code mediaType}, one of this class's
   * {@code MEDIA_TYPE_*} constants, allowing the spelling variations {@link #message} allows.
   */
  public static boolean isMediaType(String contentType, String mediaType) {
    Optional<String> want = message(mediaType);
    return want.isPresent() && want.equals(message(contentType));
  }

  /**
   * Builds HPKE application info: {@code label || sender role || recipient role}, each role one byte.
   *
   * @param label {@link #LABEL_INPUT_SHARE} or {@link #LABEL_AGGREGATE_SHARE}
   * @param sender the role of the party that seals
   * @param recipient the role of the party that opens
   */
  public static byte[] hpkeInfo(String label, Role sender, Role recipient) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[l.length + 2];
    System.arraycopy(l, 0, out, 0, l.length);
    out[l.length] = (byte) sender.code();
    out[l.length + 1] = (byte) recipient.code();
    return out;
  }

  /**
   * Info for sealing an input share from the Client to {@code aggregator} (section 4.4.2.1):
   * {@code "dap-18 input share" || 0x01 || server_role}.
   *
   * @throws IllegalArgumentException unless {@code aggregator} is the Leader or the Helper
   */
  public static byte[] inputShareInfo(Role aggregator) {
    requireAggregator(aggregator);
    return hpkeInfo(LABEL_INPUT_SHARE, Role.CLIENT, aggregator);
  }

  /**
   * Info for sealing an aggregate share from {@code aggregator} to the Collector (section 4.6.7):
   * {@code "dap-18 aggregate share" || server_role || 0x00}.
   *
   * @throws IllegalArgumentException unless {@code aggregator} is the Leader or the Helper
   */
  public static byte[] aggregateShareInfo(Role aggregator) {
    requireAggregator(aggregator);
    return hpkeInfo(LABEL_AGGREGATE_SHARE, aggregator, Role.COLLECTOR);
  }

  /**
   * The VDAF application context of a task: {@code "dap-18" || task_id} (sections 4.4.2.1, 4.5.3.1), passed to
   * sharding and every ping-pong verification call.
   */
  public static byte[] vdafContext(TaskId task) {
    byte[] v = VERSION.getBytes(StandardCharsets.US_ASCII);
    byte[] id = task.bytes();
    byte[] out = new byte[v.length + id.length];
    System.arraycopy(v, 0, out, 0, v.length);
    System.arraycopy(id, 0, out, v.length, id.length);
    return out;
  }

  private static void requireAggregator(Role role) {
    if (!role.isAggregator()) {
      throw new IllegalArgumentException("expected the Leader or the Helper, got " + role);
    }
  }

  /** The upload path for {@code task}. */
  public static String reportsPath(TaskId task) {
    return "/tasks/" + task.toBase64Url() + "/reports";
  }

  /** The aggregation-job creation path for {@code task}. */
  public static String aggregationJobsPath(TaskId task) {
    return "/tasks/" + task.toBase64Url() + "/aggregation_jobs";
  }

  /** The path of aggregation job {@code job} of {@code task}. */
  public static String aggregationJobPath(TaskId task, AggregationJobId job) {
    return aggregationJobsPath(task) + "/" + job.toBase64Url();
  }

  /**
   * The path and query polling aggregation job {@code job} at {@code step} (sections 4.5.3.2 and 4.5.4.2).
   *
   * @throws IllegalArgumentException if {@code step} is not a u16
   */
  public static String aggregationJobPath(TaskId task, AggregationJobId job, int step) {
    Wire.checkU16(step, "step");
    return aggregationJobPath(task, job) + "?" + QUERY_STEP + "=" + step;
  }

  /** The collection-job creation path for {@code task}. */
  public static String collectionJobsPath(TaskId task) {
    return "/tasks/" + task.toBase64Url() + "/collection_jobs";
  }

  /** The path of collection job {@code job} of {@code task}. */
  public static String collectionJobPath(TaskId task, CollectionJobId job) {
    return collectionJobsPath(task) + "/" + job.toBase64Url();
  }

  /** The aggregate-share creation path for {@code task}. */
  public static String aggregateSharesPath(TaskId task) {
    return "/tasks/" + task.toBase64Url() + "/aggregate_shares";
  }

  /**
   * The path of the aggregate share the Helper identified by {@code aggregateShareId}. Draft 18 leaves the ID's
   * length to the Helper, so it is raw bytes here rather than a fixed-length ID type.
   *
   * @throws IllegalArgumentException if the ID is empty
   */
  public static String aggregateSharePath(TaskId task, byte[] aggregateShareId) {
    if (aggregateShareId.length == 0) {
      throw new IllegalArgumentException("aggregate share ID must not be empty");
    }
    return aggregateSharesPath(task) + "/" + Base64Url.encode(aggregateShareId);
  }
}
