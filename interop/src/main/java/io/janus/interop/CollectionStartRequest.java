package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.task.DapVersion;
import io.janus.messages.Base64Url;
import io.janus.messages.TaskId;
import io.janus.messages.Query;
import java.util.Arrays;
import java.util.Objects;

/**
 * The collector's {@code /internal/test/collection_start} request (draft-dcook-ppm-dap-interop-test-design-07
 * section 4.4.3). The request does not say its DAP version: its query is read as the task's version, that of the
 * collector's {@code add_task}.
 *
 * @param taskId the task, added before with {@code add_task}
 * @param aggregationParameter the encoded aggregation parameter (empty for Prio3)
 * @param query which batch to collect
 */
public record CollectionStartRequest(TaskId taskId, byte[] aggregationParameter, Query query) {
  /** Rejects nulls and copies the aggregation parameter. */
  public CollectionStartRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(query, "query");
    aggregationParameter = aggregationParameter.clone();
  }

  /**
   * Parses the request body for a DAP-09 task.
   *
   * @throws InteropRequestException naming the first missing or malformed field
   */
  public static CollectionStartRequest parse(JsonFields f) {
    return parse(f, DapVersion.DAP_09);
  }

  /**
   * Parses the request body for a task added as {@code version}, which decides how the query reads (see
   * {@link QueryObject#parse(JsonFields, DapVersion)}).
   *
   * @throws InteropRequestException naming the first missing or malformed field
   */
  public static CollectionStartRequest parse(JsonFields f, DapVersion version) {
    return new CollectionStartRequest(f.taskId("task_id"), f.base64Url("agg_param"),
        QueryObject.parse(f.object("query"), version));
  }

  /** The request body, as a test runner sends it. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("task_id", taskId.toBase64Url()).put("agg_param", Base64Url.encode(aggregationParameter));
    o.set("query", QueryObject.toJson(query));
    return o;
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionStartRequest r && r.taskId.equals(taskId)
        && Arrays.equals(r.aggregationParameter, aggregationParameter) && r.query.equals(query);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, Arrays.hashCode(aggregationParameter), query);
  }

  @Override
  public String toString() {
    return "CollectionStartRequest[taskId=" + taskId.toBase64Url() + ", aggregationParameter="
        + Base64Url.encode(aggregationParameter) + ", query=" + query + "]";
  }
}
