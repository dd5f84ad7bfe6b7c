package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The collector's {@code /internal/test/add_task} request (draft-dcook-ppm-dap-interop-test-design-07 section
 * 4.4.2), in its DAP-09 form or in the DAP-18 form of Janus {@code main}'s interop binaries (told apart by
 * {@link Dap18Fields#version}). DAP-18 replaces {@code query_type} with {@code batch_mode} and adds
 * {@code helper}, {@code min_batch_size} and {@code time_precision}: the collector binds the task's configuration
 * into the aggregate shares' AAD, so it needs them as much as the aggregators do. It may also be given
 * {@code task_start} and {@code task_end} (both or neither), to match aggregators given a task interval.
 *
 * @param taskId the task
 * @param leader the Leader's DAP endpoint
 * @param vdaf the task's VDAF
 * @param collectorAuthenticationToken the token the collector presents to the Leader in {@code DAP-Auth-Token}
 * @param queryType DAP-09's query type or DAP-18's batch mode ({@link QueryType.FixedSize} without limits for fixed
 *     size and leader selected alike)
 * @param dap18 present exactly for a DAP-18 request: what it adds
 */
public record CollectorAddTaskRequest(TaskId taskId, URI leader, VdafInstance vdaf,
    AuthenticationToken collectorAuthenticationToken, QueryType queryType, Optional<Dap18> dap18) {
  /**
   * What a DAP-18 collector add_task request adds.
   *
   * @param helper the Helper's DAP endpoint, which the collector never calls but binds into the AAD
   * @param minBatchSize the task's minimum batch size
   * @param timePrecision the task's time precision; positive
   * @param taskInterval the task interval, if limited
   */
  public record Dap18(URI helper, long minBatchSize, DapDuration timePrecision, Optional<Interval> taskInterval) {
    /** Rejects nulls, a negative size and a zero precision. */
    public Dap18 {
      Objects.requireNonNull(helper, "helper");
      Objects.requireNonNull(taskInterval, "taskInterval");
      if (minBatchSize < 0 || timePrecision.seconds() < 1) {
        throw new IllegalArgumentException("min_batch_size must not be negative and time_precision positive");
      }
    }
  }

  /** Rejects nulls, a fixed-size type with limits, and a VDAF that does not run under the protocol. */
  public CollectorAddTaskRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(collectorAuthenticationToken, "collectorAuthenticationToken");
    Objects.requireNonNull(queryType, "queryType");
    Objects.requireNonNull(dap18, "dap18");
    if (queryType instanceof QueryType.FixedSize f && !f.equals(Dap18Fields.leaderSelected())) {
      throw new IllegalArgumentException("the collector's query type carries no batch size or time window");
    }
    DapVersion version = dap18.isPresent() ? DapVersion.DAP_18 : DapVersion.DAP_09;
    if (!vdaf.runsUnder(version)) {
      throw new IllegalArgumentException("VDAF " + vdaf.toJson() + " does not run under " + version);
    }
  }

  /** A DAP-09 request. */
  public CollectorAddTaskRequest(TaskId taskId, URI leader, VdafInstance vdaf,
      AuthenticationToken collectorAuthenticationToken, io.janus.messages.dap09.QueryType queryType) {
    this(taskId, leader, vdaf, collectorAuthenticationToken, switch (queryType) {
      case TIME_INTERVAL -> new QueryType.TimeInterval();
      case FIXED_SIZE -> Dap18Fields.leaderSelected();
    }, Optional.empty());
  }

  /**
   * Parses the request body, in the form {@link Dap18Fields#version} picks.
   *
   * @throws InteropRequestException naming the first missing or malformed field, or a field of the other version
   */
  public static CollectorAddTaskRequest parse(JsonFields f) {
    DapVersion version = Dap18Fields.version(f);
    TaskId taskId = f.taskId("task_id");
    URI leader = f.url("leader");
    if (version == DapVersion.DAP_09) {
      return new CollectorAddTaskRequest(taskId, leader, VdafObject.parse(f.object("vdaf")),
          f.dapAuthToken("collector_authentication_token"), QueryObject.queryType(f, Dap18Fields.QUERY_TYPE));
    }
    URI helper = f.url("helper");
    VdafInstance vdaf = VdafObject.parse(f.object("vdaf"), version);
    AuthenticationToken token = f.dapAuthToken("collector_authentication_token");
    QueryType batchMode = Dap18Fields.batchMode(f, Dap18Fields.BATCH_MODE);
    long minBatchSize = f.number("min_batch_size");
    DapDuration precision = new DapDuration(f.number("time_precision", 1, Long.MAX_VALUE));
    return new CollectorAddTaskRequest(taskId, leader, vdaf, token, batchMode,
        Optional.of(new Dap18(helper, minBatchSize, precision, Dap18Fields.taskInterval(f, precision))));
  }

  /** The request's DAP version. */
  public DapVersion protocol() {
    return dap18.isPresent() ? DapVersion.DAP_18 : DapVersion.DAP_09;
  }

  /**
   * DAP-18 only: the terms the collector binds into the aggregate shares' AAD, with {@code task_info}
   * {@link Dap18Fields#TASK_INFO}.
   */
  public Optional<TaskAgreement> agreement() {
    return dap18.map(d -> new TaskAgreement(Dap18Fields.taskInfo(), leader, d.helper(), d.timePrecision(),
        d.minBatchSize(), queryType, vdaf, d.taskInterval()));
  }

  /** The request body, as a test runner sends it, in the form of its protocol. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("task_id", taskId.toBase64Url()).put("leader", leader.toString());
    dap18.ifPresent(d -> o.put("helper", d.helper().toString()));
    o.set("vdaf", VdafObject.toJson(vdaf));
    o.put("collector_authentication_token", collectorAuthenticationToken.token());
    if (dap18.isEmpty()) {
      o.put(Dap18Fields.QUERY_TYPE, Dap18Fields.batchModeCode(queryType));
      return o;
    }
    Dap18 d = dap18.get();
    o.put(Dap18Fields.BATCH_MODE, Dap18Fields.batchModeCode(queryType)).put("min_batch_size", d.minBatchSize())
        .put("time_precision", d.timePrecision().seconds());
    Dap18Fields.putTaskInterval(o, d.taskInterval());
    return o;
  }
}
