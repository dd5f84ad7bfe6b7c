package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.TaskId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The associated data an aggregate share is sealed under (draft-ietf-ppm-dap-09 section 4.5.4):
 * {@code TaskID task_id; opaque agg_param<0..2^32-1>; BatchSelector batch_selector}.
 *
 * @param taskId the task
 * @param aggregationParameter the encoded VDAF aggregation parameter
 * @param batchSelector the batch
 */
public record AggregateShareAad(TaskId taskId, byte[] aggregationParameter, BatchSelector batchSelector)
    implements Encodable {
  /** Rejects null components and copies the parameter. */
  public AggregateShareAad {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(batchSelector, "batchSelector");
    aggregationParameter = aggregationParameter.clone();
  }

  /** Reads an {@code AggregateShareAad}. */
  public static AggregateShareAad decode(WireReader r) {
    TaskId taskId = TaskId.decode(r);
    byte[] param = r.opaque32("AggregateShareAad.agg_param");
    return new AggregateShareAad(taskId, param, BatchSelector.decode(r));
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static AggregateShareAad decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregateShareAad", AggregateShareAad::decode);
  }

  @Override
  public void encode(WireWriter w) {
    taskId.encode(w);
    w.opaque32(aggregationParameter);
    batchSelector.encode(w);
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateShareAad x
        && x.taskId.equals(taskId)
        && Arrays.equals(x.aggregationParameter, aggregationParameter)
        && x.batchSelector.equals(batchSelector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, Wire.hash(aggregationParameter), batchSelector);
  }

  @Override
  public String toString() {
    return "AggregateShareAad[taskId=" + taskId + ", aggregationParameter=" + Wire.show(aggregationParameter)
        + ", batchSelector=" + batchSelector + "]";
  }
}
