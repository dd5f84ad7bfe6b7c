package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The client's {@code /internal/test/upload} request (draft-dcook-ppm-dap-interop-test-design-07 section 4.2.2),
 * in its DAP-09 form or in the DAP-18 form of Janus {@code main}'s interop binaries, which adds
 * {@code batch_mode} and {@code min_batch_size} (told apart by {@link Dap18Fields#version}). A DAP-18 client binds
 * the task's configuration into every report, so it needs these as much as the aggregators do; it may also be given
 * {@code task_start} and {@code task_end} (both or neither), to match an aggregator given a task interval.
 *
 * @param taskId the task
 * @param leader the Leader's DAP endpoint
 * @param helper the Helper's DAP endpoint
 * @param vdaf the task's VDAF
 * @param measurement the measurement in the client library's form (see {@link Measurement#parse})
 * @param time the report time to use instead of now, if given
 * @param timePrecision the task's time precision; positive
 * @param dap18 present exactly for a DAP-18 request: what it adds
 */
public record UploadRequest(TaskId taskId, URI leader, URI helper, VdafInstance vdaf, long[] measurement,
    Optional<Time> time, DapDuration timePrecision, Optional<Dap18> dap18) {
  /**
   * What a DAP-18 upload request adds.
   *
   * @param batchMode {@link QueryType.TimeInterval} or {@link Dap18Fields#leaderSelected()}
   * @param minBatchSize the task's minimum batch size
   * @param taskInterval the task interval, if limited
   */
  public record Dap18(QueryType batchMode, long minBatchSize, Optional<Interval> taskInterval) {
    /** Rejects nulls and a negative size. */
    public Dap18 {
      Objects.requireNonNull(batchMode, "batchMode");
      Objects.requireNonNull(taskInterval, "taskInterval");
      if (minBatchSize < 0) {
        throw new IllegalArgumentException("min_batch_size must not be negative");
      }
    }
  }

  /** Rejects nulls, a zero time precision and a VDAF that does not run under the protocol; copies the measurement. */
  public UploadRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(helper, "helper");
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(dap18, "dap18");
    if (timePrecision.seconds() < 1) {
      throw new IllegalArgumentException("time_precision must be positive");
    }
    DapVersion version = dap18.isPresent() ? DapVersion.DAP_18 : DapVersion.DAP_09;
    if (!vdaf.runsUnder(version)) {
      throw new IllegalArgumentException("VDAF " + vdaf.toJson() + " does not run under " + version);
    }
    measurement = measurement.clone();
  }

  /** A DAP-09 request. */
  public UploadRequest(TaskId taskId, URI leader, URI helper, VdafInstance vdaf, long[] measurement,
      Optional<Time> time, DapDuration timePrecision) {
    this(taskId, leader, helper, vdaf, measurement, time, timePrecision, Optional.empty());
  }

  /**
   * Parses the request body, in the form {@link Dap18Fields#version} picks.
   *
   * @throws InteropRequestException naming the first missing or malformed field, or a field of the other version
   */
  public static UploadRequest parse(JsonFields f) {
    DapVersion version = Dap18Fields.version(f);
    TaskId taskId = f.taskId("task_id");
    URI leader = f.url("leader");
    URI helper = f.url("helper");
    VdafInstance vdaf = VdafObject.parse(f.object("vdaf"), version);
    long[] measurement = Measurement.parse(vdaf, f, "measurement");
    Optional<Time> time = f.has("time") ? Optional.of(new Time(f.number("time"))) : Optional.empty();
    DapDuration precision = new DapDuration(f.number("time_precision", 1, Long.MAX_VALUE));
    Optional<Dap18> dap18 = Optional.empty();
    if (version == DapVersion.DAP_18) {
      dap18 = Optional.of(new Dap18(Dap18Fields.batchMode(f, Dap18Fields.BATCH_MODE), f.number("min_batch_size"),
          Dap18Fields.taskInterval(f, precision)));
    }
    return new UploadRequest(taskId, leader, helper, vdaf, measurement, time, precision, dap18);
  }

  /** The request's DAP version. */
  public DapVersion protocol() {
    return dap18.isPresent() ? DapVersion.DAP_18 : DapVersion.DAP_09;
  }

  /**
   * DAP-18 only: the terms the client binds into its reports, with {@code task_info}
   * {@link Dap18Fields#TASK_INFO}.
   */
  public Optional<TaskAgreement> agreement() {
    return dap18.map(d -> new TaskAgreement(Dap18Fields.taskInfo(), leader, helper, timePrecision, d.minBatchSize(),
        d.batchMode(), vdaf, d.taskInterval()));
  }

  /** The request body, as a test runner sends it, in the form of its protocol. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("task_id", taskId.toBase64Url()).put("leader", leader.toString()).put("helper", helper.toString());
    o.set("vdaf", VdafObject.toJson(vdaf));
    o.set("measurement", Measurement.toJson(vdaf, measurement));
    time.ifPresent(t -> o.put("time", t.seconds()));
    o.put("time_precision", timePrecision.seconds());
    dap18.ifPresent(d -> {
      o.put(Dap18Fields.BATCH_MODE, Dap18Fields.batchModeCode(d.batchMode())).put("min_batch_size", d.minBatchSize());
      Dap18Fields.putTaskInterval(o, d.taskInterval());
    });
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
        && r.time.equals(time) && r.timePrecision.equals(timePrecision) && r.dap18.equals(dap18);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, leader, helper, vdaf, Arrays.hashCode(measurement), time, timePrecision, dap18);
  }

  @Override
  public String toString() {
    return "UploadRequest[taskId=" + taskId.toBase64Url() + ", leader=" + leader + ", helper=" + helper + ", vdaf="
        + vdaf + ", measurement=" + Arrays.toString(measurement) + ", time=" + time + ", timePrecision="
        + timePrecision.seconds() + ", dap18=" + dap18 + "]";
  }
}
