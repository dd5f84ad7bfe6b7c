package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.TaskId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * The associated data an aggregate share is sealed under (draft-ietf-ppm-dap-18 section 4.6.7): {@code TaskID
 * task_id; TaskConfiguration task_configuration; CollectionJobReq collection_job_req}. Unlike draft 09 it binds no
 * batch selector: the Collector's own request (query, aggregation parameter, extensions) stands in for the batch,
 * and the whole task configuration is bound too.
 *
 * @param taskId the task
 * @param taskConfiguration the task's configuration
 * @param collectionJobReq the Collector's request that started the collection job
 */
public record AggregateShareAad(TaskId taskId, TaskConfiguration taskConfiguration, CollectionJobReq collectionJobReq)
    implements Encodable {
  /** Rejects null components. */
  public AggregateShareAad {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskConfiguration, "taskConfiguration");
    Objects.requireNonNull(collectionJobReq, "collectionJobReq");
  }

  /** Reads an {@code AggregateShareAad}. */
  public static AggregateShareAad decode(WireReader r) {
    TaskId taskId = TaskId.decode(r);
    TaskConfiguration configuration = TaskConfiguration.decode(r);
    return new AggregateShareAad(taskId, configuration, CollectionJobReq.decode(r));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static AggregateShareAad decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregateShareAad", AggregateShareAad::decode);
  }

  @Override
  public void encode(WireWriter w) {
    taskId.encode(w);
    taskConfiguration.encode(w);
    collectionJobReq.encode(w);
  }
}
