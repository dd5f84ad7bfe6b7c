package io.janus.messages.dap09;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.Time;
import io.janus.messages.Url;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * A task provisioned in-band (draft-wang-ppm-dap-taskprov as Janus release/0.7 deploys it with DAP-09), sent
 * base64url-encoded in the {@link Dap09#HEADER_TASKPROV} header: {@code opaque task_info<1..2^8-1>;
 * Url leader_aggregator_endpoint; Url helper_aggregator_endpoint; opaque query_config<0..2^16-1>;
 * Time task_expiration; opaque vdaf_config<0..2^16-1>}, where the two opaque configs hold a {@link QueryConfig}
 * and a {@link VdafConfig}. The task ID is SHA-256 of this encoding.
 *
 * @param taskInfo opaque task description, 1 to 255 bytes
 * @param leaderAggregatorEndpoint the Leader's URL
 * @param helperAggregatorEndpoint the Helper's URL
 * @param queryConfig the batching parameters
 * @param taskExpiration when the task stops accepting reports
 * @param vdafConfig the VDAF
 */
public record TaskConfig(
    byte[] taskInfo,
    Url leaderAggregatorEndpoint,
    Url helperAggregatorEndpoint,
    QueryConfig queryConfig,
    Time taskExpiration,
    VdafConfig vdafConfig)
    implements Encodable {
  /** Validates and copies. */
  public TaskConfig {
    if (taskInfo.length == 0 || taskInfo.length > 0xff) {
      throw new IllegalArgumentException("task_info must be 1..255 bytes, got " + taskInfo.length);
    }
    Objects.requireNonNull(leaderAggregatorEndpoint, "leaderAggregatorEndpoint");
    Objects.requireNonNull(helperAggregatorEndpoint, "helperAggregatorEndpoint");
    Objects.requireNonNull(queryConfig, "queryConfig");
    Objects.requireNonNull(taskExpiration, "taskExpiration");
    Objects.requireNonNull(vdafConfig, "vdafConfig");
    taskInfo = taskInfo.clone();
  }

  /** Reads a {@code TaskConfig}; the nested configs must fill their vectors exactly. */
  public static TaskConfig decode(WireReader r) {
    int at = r.position();
    byte[] info = r.opaque8("TaskConfig.task_info");
    if (info.length == 0) {
      throw new DecodeException(at, "TaskConfig.task_info must not be empty");
    }
    Url leader = Url.decode(r);
    Url helper = Url.decode(r);
    WireReader q = r.vector16("TaskConfig.query_config");
    QueryConfig query = QueryConfig.decode(q);
    q.expectEnd("TaskConfig.query_config");
    Time expiration = Time.decode(r);
    WireReader v = r.vector16("TaskConfig.vdaf_config");
    VdafConfig vdaf = VdafConfig.decode(v);
    v.expectEnd("TaskConfig.vdaf_config");
    return new TaskConfig(info, leader, helper, query, expiration, vdaf);
  }

  /** Decodes exactly one value from {@code bytes} (e.g. the decoded taskprov header). */
  public static TaskConfig decode(byte[] bytes) {
    return Wire.whole(bytes, "TaskConfig", TaskConfig::decode);
  }

  @Override
  public void encode(WireWriter w) {
    w.opaque8(taskInfo);
    leaderAggregatorEndpoint.encode(w);
    helperAggregatorEndpoint.encode(w);
    int q = w.startVector16();
    queryConfig.encode(w);
    w.endVector16(q);
    taskExpiration.encode(w);
    int v = w.startVector16();
    vdafConfig.encode(w);
    w.endVector16(v);
  }

  @Override
  public byte[] taskInfo() {
    return taskInfo.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskConfig x
        && Arrays.equals(x.taskInfo, taskInfo)
        && x.leaderAggregatorEndpoint.equals(leaderAggregatorEndpoint)
        && x.helperAggregatorEndpoint.equals(helperAggregatorEndpoint)
        && x.queryConfig.equals(queryConfig)
        && x.taskExpiration.equals(taskExpiration)
        && x.vdafConfig.equals(vdafConfig);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Wire.hash(taskInfo), leaderAggregatorEndpoint, helperAggregatorEndpoint, queryConfig,
        taskExpiration, vdafConfig);
  }

  @Override
  public String toString() {
    return "TaskConfig[taskInfo=" + Wire.show(taskInfo) + ", leader=" + leaderAggregatorEndpoint + ", helper="
        + helperAggregatorEndpoint + ", queryConfig=" + queryConfig + ", taskExpiration=" + taskExpiration
        + ", vdafConfig=" + vdafConfig + "]";
  }
}
