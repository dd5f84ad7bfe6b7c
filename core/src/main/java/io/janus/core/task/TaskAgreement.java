package io.janus.core.task;

import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import java.net.URI;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The parameters every party of a task (Client, Leader, Helper, Collector) must agree on, in neutral units
 * (seconds). DAP-18 binds them into both HPKE AADs as its {@code TaskConfiguration} (draft-ietf-ppm-dap-18
 * section 4.2), so the Client and the Collector need them as much as the aggregators;
 * {@code io.janus.core.dap18.Dap18TaskConfigurations} converts to and from that encoding. DAP-09 has no such
 * structure.
 *
 * @param taskInfo deployment-chosen bytes that tell apart otherwise identical tasks, 1 to 255 bytes
 * @param leaderEndpoint the Leader's API base URL, exactly as agreed (it is encoded byte for byte)
 * @param helperEndpoint the Helper's API base URL, exactly as agreed
 * @param timePrecision the task's time precision; positive
 * @param minBatchSize the fewest reports a batch may be collected with
 * @param queryType the batch mode
 * @param vdaf the VDAF and its parameters
 * @param taskInterval the interval, in seconds, in which the task accepts reports, if limited (DAP-18's
 *     {@code task_interval} extension); its start and duration must be multiples of the time precision
 */
public record TaskAgreement(
    byte[] taskInfo,
    URI leaderEndpoint,
    URI helperEndpoint,
    DapDuration timePrecision,
    long minBatchSize,
    QueryType queryType,
    VdafInstance vdaf,
    Optional<Interval> taskInterval) {
  /** Validates lengths and ranges and copies the task info. */
  public TaskAgreement {
    if (taskInfo.length == 0 || taskInfo.length > 255) {
      throw new IllegalArgumentException("task_info must be 1..255 bytes, got " + taskInfo.length);
    }
    Objects.requireNonNull(leaderEndpoint, "leaderEndpoint");
    Objects.requireNonNull(helperEndpoint, "helperEndpoint");
    Objects.requireNonNull(queryType, "queryType");
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(taskInterval, "taskInterval");
    if (timePrecision.seconds() <= 0) {
      throw new IllegalArgumentException("time precision must be positive");
    }
    if (minBatchSize < 0) {
      throw new IllegalArgumentException("min_batch_size must not be negative: " + minBatchSize);
    }
    taskInfo = taskInfo.clone();
  }

  @Override
  public byte[] taskInfo() {
    return taskInfo.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskAgreement a && Arrays.equals(a.taskInfo, taskInfo)
        && a.leaderEndpoint.equals(leaderEndpoint) && a.helperEndpoint.equals(helperEndpoint)
        && a.timePrecision.equals(timePrecision) && a.minBatchSize == minBatchSize
        && a.queryType.equals(queryType) && a.vdaf.equals(vdaf) && a.taskInterval.equals(taskInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(taskInfo), leaderEndpoint, helperEndpoint, timePrecision, minBatchSize,
        queryType, vdaf, taskInterval);
  }

  @Override
  public String toString() {
    return "TaskAgreement[taskInfo=" + HexFormat.of().formatHex(taskInfo) + ", leader=" + leaderEndpoint
        + ", helper=" + helperEndpoint + ", timePrecision=" + timePrecision.seconds() + "s, minBatchSize="
        + minBatchSize + ", queryType=" + queryType + ", vdaf=" + vdaf.toJson() + ", taskInterval=" + taskInterval
        + "]";
  }
}
