package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.task.VdafInstance;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.QueryType;
import java.net.URI;
import java.util.Objects;

/**
 * The collector's {@code /internal/test/add_task} request (draft-dcook-ppm-dap-interop-test-design-07 section
 * 4.4.2).
 *
 * @param taskId the task
 * @param leader the Leader's DAP endpoint
 * @param vdaf the task's VDAF
 * @param collectorAuthenticationToken the token the collector presents to the Leader in {@code DAP-Auth-Token}
 * @param queryType the task's query type
 */
public record CollectorAddTaskRequest(TaskId taskId, URI leader, VdafInstance vdaf,
    AuthenticationToken collectorAuthenticationToken, QueryType queryType) {
  /** Rejects nulls. */
  public CollectorAddTaskRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(collectorAuthenticationToken, "collectorAuthenticationToken");
    Objects.requireNonNull(queryType, "queryType");
  }

  /**
   * Parses the request body.
   *
   * @throws InteropRequestException naming the first missing or malformed field
   */
  public static CollectorAddTaskRequest parse(JsonFields f) {
    return new CollectorAddTaskRequest(f.taskId("task_id"), f.url("leader"), VdafObject.parse(f.object("vdaf")),
        f.dapAuthToken("collector_authentication_token"), QueryObject.queryType(f, "query_type"));
  }

  /** The request body, as a test runner sends it. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("task_id", taskId.toBase64Url()).put("leader", leader.toString());
    o.set("vdaf", VdafObject.toJson(vdaf));
    o.put("collector_authentication_token", collectorAuthenticationToken.token());
    o.put("query_type", queryType.code());
    return o;
  }
}
