package io.janus.messages.dap09;

import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * Everything that names draft-ietf-ppm-dap-09 on the wire or in HTTP: media types, HPKE application info, route
 * templates, extension codes, problem types. Code outside {@code io.janus.messages.dap09} asks this class rather
 * than spelling any of these itself.
 */
public final class Dap09 {
  private Dap09() {}

  /** The version tag that prefixes HPKE info strings. */
  public static final String VERSION = "dap-09";

  // Media types, draft-ietf-ppm-dap-09 section 10.2.
  /** Media type of an {@link io.janus.messages.HpkeConfigList} body. */
  public static final String MEDIA_TYPE_HPKE_CONFIG_LIST = "application/dap-hpke-config-list";
  /** Media type of a {@link Report} upload. */
  public static final String MEDIA_TYPE_REPORT = "application/dap-report";
  /** Media type of an {@link AggregationJobInitReq}. */
  public static final String MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ = "application/dap-aggregation-job-init-req";
  /** Media type of an {@link AggregationJobResp}. */
  public static final String MEDIA_TYPE_AGGREGATION_JOB_RESP = "application/dap-aggregation-job-resp";
  /** Media type of an {@link AggregationJobContinueReq}. */
  public static final String MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ =
      "application/dap-aggregation-job-continue-req";
  /** Media type of an {@link AggregateShareReq}. */
  public static final String MEDIA_TYPE_AGGREGATE_SHARE_REQ = "application/dap-aggregate-share-req";
  /** Media type of an {@link AggregateShare}. */
  public static final String MEDIA_TYPE_AGGREGATE_SHARE = "application/dap-aggregate-share";
  /** Media type of a {@link CollectionReq}. */
  public static final String MEDIA_TYPE_COLLECT_REQ = "application/dap-collect-req";
  /** Media type of a {@link Collection}. */
  public static final String MEDIA_TYPE_COLLECTION = "application/dap-collection";

  /** Every media type draft 09 registers. */
  public static final Set<String> MEDIA_TYPES = Set.of(
      MEDIA_TYPE_HPKE_CONFIG_LIST, MEDIA_TYPE_REPORT, MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ,
      MEDIA_TYPE_AGGREGATION_JOB_RESP, MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ, MEDIA_TYPE_AGGREGATE_SHARE_REQ,
      MEDIA_TYPE_AGGREGATE_SHARE, MEDIA_TYPE_COLLECT_REQ, MEDIA_TYPE_COLLECTION);

  // HPKE application info labels, sections 4.3.2 and 4.4.4.
  /** Label of the info string under which a Client seals an input share. */
  public static final String LABEL_INPUT_SHARE = "dap-09 input share";
  /** Label of the info string under which an Aggregator seals an aggregate share. */
  public static final String LABEL_AGGREGATE_SHARE = "dap-09 aggregate share";

  // Route templates relative to an aggregator's endpoint, section 4.
  /** Path parameter holding the base64url task ID. */
  public static final String PARAM_TASK_ID = "task_id";
  /** Path parameter holding the base64url aggregation job ID. */
  public static final String PARAM_AGGREGATION_JOB_ID = "aggregation_job_id";
  /** Path parameter holding the base64url collection job ID. */
  public static final String PARAM_COLLECTION_JOB_ID = "collection_job_id";
  /** Query parameter of {@link #ROUTE_HPKE_CONFIG} naming the task. */
  public static final String QUERY_TASK_ID = "task_id";
  /** GET: the aggregator's HPKE configurations. */
  public static final String ROUTE_HPKE_CONFIG = "/hpke_config";
  /** PUT: upload one report (Leader). */
  public static final String ROUTE_REPORTS = "/tasks/{task_id}/reports";
  /** PUT: create, POST: continue, DELETE: abandon an aggregation job (Helper). */
  public static final String ROUTE_AGGREGATION_JOB = "/tasks/{task_id}/aggregation_jobs/{aggregation_job_id}";
  /** PUT: create, POST: poll, DELETE: abandon a collection job (Leader). */
  public static final String ROUTE_COLLECTION_JOB = "/tasks/{task_id}/collection_jobs/{collection_job_id}";
  /** POST: request an aggregate share (Helper). */
  public static final String ROUTE_AGGREGATE_SHARES = "/tasks/{task_id}/aggregate_shares";

  // Report extensions, section 4.3.3; taskprov as Janus release/0.7 deploys it with draft 09.
  /** Extension type {@code TBD(0)}: the placeholder draft 09 defines. */
  public static final int EXTENSION_TBD = 0x0000;
  /** Extension type marking a report for a task provisioned in-band (draft-wang-ppm-dap-taskprov). */
  public static final int EXTENSION_TASKPROV = 0xFF00;
  /** HTTP header carrying the base64url {@link TaskConfig} of an in-band provisioned task. */
  public static final String HEADER_TASKPROV = "dap-taskprov";

  /**
   * The problem types draft 09 defines (section 3.2), plus {@code invalidTask}, which in-band task provisioning
   * (draft-wang-ppm-dap-taskprov-04, as Janus release/0.7 deploys it with draft 09) adds for an opted-out task.
   */
  public static final Set<DapProblemType> PROBLEM_TYPES = Set.copyOf(EnumSet.of(
      DapProblemType.INVALID_MESSAGE, DapProblemType.UNRECOGNIZED_TASK, DapProblemType.UNRECOGNIZED_AGGREGATION_JOB,
      DapProblemType.OUTDATED_CONFIG, DapProblemType.REPORT_REJECTED, DapProblemType.REPORT_TOO_EARLY,
      DapProblemType.BATCH_INVALID, DapProblemType.INVALID_BATCH_SIZE, DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES,
      DapProblemType.BATCH_MISMATCH, DapProblemType.UNAUTHORIZED_REQUEST, DapProblemType.MISSING_TASK_ID,
      DapProblemType.STEP_MISMATCH, DapProblemType.BATCH_OVERLAP, DapProblemType.INVALID_TASK));

  /**
   * Builds HPKE application info as draft 09 defines it: {@code label || sender role || recipient role}, each
   * role one byte.
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
   * Info for sealing an input share from the Client to {@code aggregator}:
   * {@code "dap-09 input share" || 0x01 || server_role}.
   *
   * @throws IllegalArgumentException unless {@code aggregator} is the Leader or the Helper
   */
  public static byte[] inputShareInfo(Role aggregator) {
    requireAggregator(aggregator);
    return hpkeInfo(LABEL_INPUT_SHARE, Role.CLIENT, aggregator);
  }

  /**
   * Info for sealing an aggregate share from {@code aggregator} to the Collector:
   * {@code "dap-09 aggregate share" || server_role || 0x00}.
   *
   * @throws IllegalArgumentException unless {@code aggregator} is the Leader or the Helper
   */
  public static byte[] aggregateShareInfo(Role aggregator) {
    requireAggregator(aggregator);
    return hpkeInfo(LABEL_AGGREGATE_SHARE, aggregator, Role.COLLECTOR);
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

  /** The path of aggregation job {@code job} of {@code task}. */
  public static String aggregationJobPath(TaskId task, AggregationJobId job) {
    return "/tasks/" + task.toBase64Url() + "/aggregation_jobs/" + job.toBase64Url();
  }

  /** The path of collection job {@code job} of {@code task}. */
  public static String collectionJobPath(TaskId task, CollectionJobId job) {
    return "/tasks/" + task.toBase64Url() + "/collection_jobs/" + job.toBase64Url();
  }

  /** The aggregate-share path for {@code task}. */
  public static String aggregateSharesPath(TaskId task) {
    return "/tasks/" + task.toBase64Url() + "/aggregate_shares";
  }
}
