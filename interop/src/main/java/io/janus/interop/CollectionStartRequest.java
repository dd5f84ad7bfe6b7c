package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.messages.Base64Url;
import io.janus.messages.TaskId;
import io.janus.messages.Query;
import java.util.Arrays;
import java.util.Objects;

/**
 * The collector's {@code /internal/test/collection_start} request (draft-dcook-ppm-dap-interop-test-design-07
 * section 4.4.3).
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
   * Parses the request body.
   *
   * @throws InteropRequestException naming the first missing or malformed field
   */
  public static CollectionStartRequest parse(JsonFields f) {
    return new CollectionStartRequest(f.taskId("task_id"), f.base64Url("agg_param"),
        QueryObject.parse(f.object("query")));
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
