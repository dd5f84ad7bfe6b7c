package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.Url;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A task's agreed parameters (draft-ietf-ppm-dap-18 section 4.2): {@code opaque task_info<1..2^8-1>;
 * Url leader_aggregator_endpoint; Url helper_aggregator_endpoint; TimePrecision time_precision;
 * uint64 min_batch_size; BatchMode batch_mode; opaque batch_config<0..2^16-1>; uint32 vdaf_type;
 * opaque vdaf_configuration<0..2^16-1>; TaskExtension extensions<0..2^16-1>}.
 *
 * <p>Draft 18 binds this structure into both HPKE AADs ({@link InputShareAad}, {@link AggregateShareAad}), so every
 * party must encode it byte for byte the same way; it is not itself sent in any DAP-18 request.
 *
 * @param taskInfo deployment-chosen bytes that tell apart otherwise identical tasks; 1 to 255 bytes
 * @param leaderAggregatorEndpoint the Leader's API base URL
 * @param helperAggregatorEndpoint the Helper's API base URL
 * @param timePrecisionSeconds the time precision in seconds; every {@code Time} and {@code Duration} counts these
 * @param minBatchSize the smallest number of reports a batch may hold
 * @param batchMode the task's batch mode
 * @param batchConfig the batch mode's parameters; empty for both modes draft 18 defines
 * @param vdafType the VDAF's u32 code point in the VDAF registry
 * @param vdafConfiguration the VDAF's configuration encoding (draft 18 appendix B)
 * @param extensions task extensions, in the order read (see {@link TypedExtension})
 */
public record TaskConfiguration(
    byte[] taskInfo,
    Url leaderAggregatorEndpoint,
    Url helperAggregatorEndpoint,
    long timePrecisionSeconds,
    long minBatchSize,
    BatchMode batchMode,
    byte[] batchConfig,
    long vdafType,
    byte[] vdafConfiguration,
    List<TaskExtension> extensions)
    implements Encodable {
  /** Validates ranges and copies arrays and the list. */
  public TaskConfiguration {
    if (taskInfo.length == 0 || taskInfo.length > 0xff) {
      throw new IllegalArgumentException("TaskConfiguration.task_info must be 1..255 bytes, got " + taskInfo.length);
    }
    Objects.requireNonNull(leaderAggregatorEndpoint, "leaderAggregatorEndpoint");
    Objects.requireNonNull(helperAggregatorEndpoint, "helperAggregatorEndpoint");
    Wire.checkNonNegative(timePrecisionSeconds, "TaskConfiguration.time_precision");
    Wire.checkNonNegative(minBatchSize, "TaskConfiguration.min_batch_size");
    Objects.requireNonNull(batchMode, "batchMode");
    Wire.checkOpaque16(batchConfig, "TaskConfiguration.batch_config");
    Wire.checkU32(vdafType, "TaskConfiguration.vdaf_type");
    Wire.checkOpaque16(vdafConfiguration, "TaskConfiguration.vdaf_configuration");
    taskInfo = taskInfo.clone();
    batchConfig = batchConfig.clone();
    vdafConfiguration = vdafConfiguration.clone();
    extensions = Wire.extensionList(extensions, "TaskConfiguration.extensions");
  }

  /** Reads a {@code TaskConfiguration}; fails on an empty {@code task_info} or an unknown batch mode. */
  public static TaskConfiguration decode(WireReader r) {
    int at = r.position();
    byte[] info = r.opaque8("TaskConfiguration.task_info");
    if (info.length == 0) {
      throw new DecodeException(at, "TaskConfiguration.task_info must not be empty");
    }
    Url leader = Url.decode(r);
    Url helper = Url.decode(r);
    long precision = Wire.u64NonNegative(r, "TaskConfiguration.time_precision");
    long minBatchSize = Wire.u64NonNegative(r, "TaskConfiguration.min_batch_size");
    BatchMode mode = BatchMode.decode(r, "TaskConfiguration.batch_mode");
    byte[] batchConfig = r.opaque16("TaskConfiguration.batch_config");
    long vdafType = r.u32("TaskConfiguration.vdaf_type");
    byte[] vdafConfiguration = r.opaque16("TaskConfiguration.vdaf_configuration");
    List<TaskExtension> extensions = Wire.items(r.vector16("TaskConfiguration.extensions"),
        "TaskConfiguration.extensions", TaskExtension::decode);
    return new TaskConfiguration(info, leader, helper, precision, minBatchSize, mode, batchConfig, vdafType,
        vdafConfiguration, extensions);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static TaskConfiguration decode(byte[] bytes) {
    return Wire.whole(bytes, "TaskConfiguration", TaskConfiguration::decode);
  }

  @Override
  public void encode(WireWriter w) {
    w.opaque8(taskInfo);
    leaderAggregatorEndpoint.encode(w);
    helperAggregatorEndpoint.encode(w);
    w.u64(timePrecisionSeconds).u64(minBatchSize);
    batchMode.encode(w);
    w.opaque16(batchConfig).u32(vdafType).opaque16(vdafConfiguration);
    Wire.writeItems16(w, extensions);
  }

  /**
   * The VDAF configuration, if {@link #vdafType()} is a VDAF {@link VdafConfiguration} knows.
   *
   * @throws DecodeException if {@link #vdafConfiguration()} is not exactly that VDAF's configuration
   */
  public Optional<VdafConfiguration> vdaf() {
    return VdafConfiguration.decode(vdafType, vdafConfiguration);
  }

  /**
   * The task interval, if a {@code task_interval} extension (section 4.2.3) is present.
   *
   * @throws DecodeException if that extension's data is not exactly one well-formed {@link Interval}
   */
  public Optional<Interval> taskInterval() {
    for (TaskExtension e : extensions) {
      Optional<Interval> interval = e.asTaskInterval();
      if (interval.isPresent()) {
        return interval;
      }
    }
    return Optional.empty();
  }

  @Override
  public byte[] taskInfo() {
    return taskInfo.clone();
  }

  @Override
  public byte[] batchConfig() {
    return batchConfig.clone();
  }

  @Override
  public byte[] vdafConfiguration() {
    return vdafConfiguration.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskConfiguration x
        && Arrays.equals(x.taskInfo, taskInfo)
        && x.leaderAggregatorEndpoint.equals(leaderAggregatorEndpoint)
        && x.helperAggregatorEndpoint.equals(helperAggregatorEndpoint)
        && x.timePrecisionSeconds == timePrecisionSeconds
        && x.minBatchSize == minBatchSize
        && x.batchMode == batchMode
        && Arrays.equals(x.batchConfig, batchConfig)
        && x.vdafType == vdafType
        && Arrays.equals(x.vdafConfiguration, vdafConfiguration)
        && x.extensions.equals(extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Wire.hash(taskInfo), leaderAggregatorEndpoint, helperAggregatorEndpoint, timePrecisionSeconds,
        minBatchSize, batchMode, Wire.hash(batchConfig), vdafType, Wire.hash(vdafConfiguration), extensions);
  }

  @Override
  public String toString() {
    return "TaskConfiguration[taskInfo=" + Wire.show(taskInfo) + ", leader=" + leaderAggregatorEndpoint + ", helper="
        + helperAggregatorEndpoint + ", timePrecision=" + timePrecisionSeconds + "s, minBatchSize=" + minBatchSize
        + ", batchMode=" + batchMode + ", batchConfig=" + Wire.show(batchConfig) + ", vdafType=0x"
        + Long.toHexString(vdafType) + ", vdafConfiguration=" + Wire.show(vdafConfiguration) + ", extensions="
        + extensions + "]";
  }
}
