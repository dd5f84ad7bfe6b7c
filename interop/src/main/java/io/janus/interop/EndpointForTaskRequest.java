package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import java.util.Objects;

/**
 * The aggregator's {@code /internal/test/endpoint_for_task} request (draft-dcook-ppm-dap-interop-test-design-07
 * section 4.3.2).
 *
 * @param taskId the task about to be added
 * @param role the role this aggregator will play in it
 * @param hostname the name under which the test runner reaches this aggregator
 */
public record EndpointForTaskRequest(TaskId taskId, Role role, String hostname) {
  /** Rejects nulls and a non-aggregator role. */
  public EndpointForTaskRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(hostname, "hostname");
    if (!role.isAggregator()) {
      throw new IllegalArgumentException("role must be LEADER or HELPER, got " + role);
    }
  }

  /**
   * Parses the request body.
   *
   * @throws InteropRequestException naming the first missing or malformed field
   */
  public static EndpointForTaskRequest parse(JsonFields f) {
    return new EndpointForTaskRequest(f.taskId("task_id"), AggregatorRole.parse(f, "role"), f.string("hostname"));
  }

  /** The request body, as a test runner sends it. */
  public ObjectNode toJson() {
    return JsonNodeFactory.instance.objectNode().put("task_id", taskId.toBase64Url())
        .put("role", AggregatorRole.toJson(role)).put("hostname", hostname);
  }
}
