package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The client's {@code /internal/test/upload} request (draft-dcook-ppm-dap-interop-test-design-07 section 4.2.2).
 *
 * @param taskId the task
 * @param leader the Leader's DAP endpoint
 * @param helper the Helper's DAP endpoint
 * @param vdaf the task's VDAF
 * @param measurement the measurement in the client library's form (see {@link Measurement#parse})
 * @param time the report time to use instead of now, if given
 * @param timePrecision the task's time precision; positive
 */
public record UploadRequest(TaskId taskId, URI leader, URI helper, VdafInstance vdaf, long[] measurement,
    Optional<Time> time, DapDuration timePrecision) {
  /** Rejects nulls and a zero time precision, and copies the measurement. */
  public UploadRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(helper, "helper");
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(time, "time");
    if (timePrecision.seconds() < 1) {
      throw new IllegalArgumentException("time_precision must be positive");
    }
    measurement = measurement.clone();
  }

  /**
   * Parses the request body.
   *
   * @throws InteropRequestException naming the first missing or malformed field
   */
  public static UploadRequest parse(JsonFields f) {
    TaskId taskId = f.taskId("task_id");
    URI leader = f.url("leader");
    URI helper = f.url("helper");
    VdafInstance vdaf = VdafObject.parse(f.object("vdaf"));
    long[] measurement = Measurement.parse(vdaf, f, "measurement");
    Optional<Time> time = f.has("time") ? Optional.of(new Time(f.number("time"))) : Optional.empty();
    DapDuration precision = new DapDuration(f.number("time_precision", 1, Long.MAX_VALUE));
    return new UploadRequest(taskId, leader, helper, vdaf, measurement, time, precision);
  }

  /** The request body, as a test runner sends it. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("task_id", taskId.toBase64Url()).put("leader", leader.toString()).put("helper", helper.toString());
    o.set("vdaf", VdafObject.toJson(vdaf));
    o.set("measurement", Measurement.toJson(vdaf, measurement));
    time.ifPresent(t -> o.put("time", t.seconds()));
    o.put("time_precision", timePrecision.seconds());
    return o;
  }

  @Override
  public long[] measurement() {
    return measurement.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UploadRequest r && r.taskId.equals(taskId) && r.leader.equals(leader)
        && r.helper.equals(helper) && r.vdaf.equals(vdaf) && Arrays.equals(r.measurement, measurement)
        && r.time.equals(time) && r.timePrecision.equals(timePrecision);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, leader, helper, vdaf, Arrays.hashCode(measurement), time, timePrecision);
  }

  @Override
  public String toString() {
    return "UploadRequest[taskId=" + taskId.toBase64Url() + ", leader=" + leader + ", helper=" + helper + ", vdaf="
        + vdaf + ", measurement=" + Arrays.toString(measurement) + ", time=" + time + ", timePrecision="
        + timePrecision.seconds() + "]";
  }
}
