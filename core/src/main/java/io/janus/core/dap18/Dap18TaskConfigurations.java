package io.janus.core.dap18;

import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.core.task.DapVersion;
import io.janus.messages.DapDuration;
import io.janus.messages.DecodeException;
import io.janus.messages.Url;
import io.janus.messages.dap18.BatchMode;
import io.janus.messages.dap18.Interval;
import io.janus.messages.dap18.TaskConfiguration;
import io.janus.messages.dap18.TaskExtension;
import io.janus.messages.dap18.TypedExtension;
import io.janus.messages.dap18.VdafConfiguration;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Converts between a task's neutral {@link TaskAgreement} and draft-ietf-ppm-dap-18's {@link TaskConfiguration}
 * (section 4.2), the structure both HPKE AADs bind. Every party must produce the same bytes, so the mapping is
 * canonical: {@link #toTaskConfiguration} of {@link #toAgreement} gives back the original configuration, and the
 * reverse holds for every agreement DAP-18 can express.
 *
 * <p>The mapping: {@code task_info} and both URLs verbatim; {@code time_precision} in seconds; the batch mode from
 * {@link QueryType} ({@link QueryType.TimeInterval} is {@code time_interval}, a {@link QueryType.FixedSize}
 * without a maximum batch size or time window is {@code leader_selected}; both take an empty
 * {@code batch_config}); {@code vdaf_type} and {@code vdaf_configuration} from the VDAF-18 {@link VdafInstance}
 * records (appendix B); and one {@code task_interval} extension when the task has an interval, converted to
 * time-precision units.
 */
public final class Dap18TaskConfigurations {
  private Dap18TaskConfigurations() {}

  /**
   * The DAP-18 task configuration of {@code agreement}.
   *
   * @throws IllegalArgumentException if DAP-18 cannot express it: a fixed-size query type with a maximum batch
   *     size or a batch time window, a VDAF that DAP-18 cannot run, a task interval not aligned to the time
   *     precision, or a URL the {@code Url} encoding refuses
   */
  public static TaskConfiguration toTaskConfiguration(TaskAgreement agreement) {
    BatchMode mode = switch (agreement.queryType()) {
      case QueryType.TimeInterval t -> BatchMode.TIME_INTERVAL;
      case QueryType.FixedSize f -> {
        if (f.maxBatchSize().isPresent() || f.batchTimeWindowSize().isPresent()) {
          throw new IllegalArgumentException(
              "DAP-18's leader_selected batch mode has no max_batch_size or batch_time_window_size");
        }
        yield BatchMode.LEADER_SELECTED;
      }
    };
    VdafConfiguration vdaf = vdafConfiguration(agreement.vdaf());
    List<TaskExtension> extensions = agreement.taskInterval()
        .map(i -> List.of(TaskExtension.taskInterval(Interval.fromSeconds(i, agreement.timePrecision()))))
        .orElse(List.of());
    return new TaskConfiguration(agreement.taskInfo(), new Url(agreement.leaderEndpoint().toString()),
        new Url(agreement.helperEndpoint().toString()), agreement.timePrecision().seconds(),
        agreement.minBatchSize(), mode, new byte[0], vdaf.vdafType(), vdaf.configuration(), extensions);
  }

  /**
   * The neutral agreement a DAP-18 task configuration describes.
   *
   * @throws IllegalArgumentException if this implementation cannot run it: a zero time precision, a non-empty
   *     batch configuration, a VDAF it does not implement or whose parameters are out of range (Poplar1 among
   *     them), an unknown task extension, extensions not in strictly increasing order, or a URL that is not a URI
   */
  public static TaskAgreement toAgreement(TaskConfiguration config) {
    if (config.timePrecisionSeconds() == 0) {
      throw new IllegalArgumentException("time_precision must be positive");
    }
    if (config.batchConfig().length != 0) {
      throw new IllegalArgumentException("batch_config must be empty for " + config.batchMode());
    }
    if (!TypedExtension.inStrictlyIncreasingOrder(config.extensions())) {
      throw new IllegalArgumentException("task extensions are not in strictly increasing order");
    }
    DapDuration precision = DapDuration.ofSeconds(config.timePrecisionSeconds());
    Optional<io.janus.messages.Interval> taskInterval = Optional.empty();
    for (TaskExtension e : config.extensions()) {
      Optional<Interval> interval;
      try {
        interval = e.asTaskInterval();
      } catch (DecodeException ex) {
        throw new IllegalArgumentException("malformed task_interval extension: " + ex.getMessage(), ex);
      }
      if (interval.isEmpty()) {
        throw new IllegalArgumentException("unsupported task extension " + e.extensionType());
      }
      taskInterval = Optional.of(interval.get().toSeconds(precision));
    }
    QueryType queryType = switch (config.batchMode()) {
      case TIME_INTERVAL -> new QueryType.TimeInterval();
      case LEADER_SELECTED -> new QueryType.FixedSize(java.util.OptionalLong.empty(), Optional.empty());
    };
    VdafConfiguration vdafConfig;
    try {
      vdafConfig = config.vdaf().orElseThrow(
          () -> new IllegalArgumentException("unknown VDAF type 0x" + Long.toHexString(config.vdafType())));
    } catch (DecodeException e) {
      throw new IllegalArgumentException("malformed vdaf_configuration: " + e.getMessage(), e);
    }
    return new TaskAgreement(config.taskInfo(), uri(config.leaderAggregatorEndpoint()),
        uri(config.helperAggregatorEndpoint()), precision, config.minBatchSize(), queryType,
        vdafInstance(vdafConfig), taskInterval);
  }

  /**
   * The appendix-B configuration of a VDAF-18 instance.
   *
   * @throws IllegalArgumentException if DAP-18 cannot run {@code vdaf} (see {@link VdafInstance#runsUnder})
   */
  public static VdafConfiguration vdafConfiguration(VdafInstance vdaf) {
    if (!vdaf.runsUnder(DapVersion.DAP_18)) {
      throw new IllegalArgumentException("DAP-18 cannot run " + vdaf.toJson());
    }
    return switch (vdaf) {
      case VdafInstance.Prio3Count c -> new VdafConfiguration.Prio3Count();
      case VdafInstance.Prio3SumMaxMeasurement s -> new VdafConfiguration.Prio3Sum(s.maxMeasurement());
      case VdafInstance.Prio3SumVecMaxMeasurement v ->
          new VdafConfiguration.Prio3SumVec(v.length(), v.maxMeasurement(), v.chunkLength());
      case VdafInstance.Prio3Histogram h -> new VdafConfiguration.Prio3Histogram(h.length(), h.chunkLength());
      case VdafInstance.Prio3MultihotCountVec m ->
          new VdafConfiguration.Prio3MultihotCountVec(m.length(), m.chunkLength(), m.maxWeight());
      default -> throw new IllegalStateException("runsUnder admitted " + vdaf);
    };
  }

  /**
   * The VDAF instance of an appendix-B configuration.
   *
   * @throws IllegalArgumentException for Poplar1 (not implemented) or parameters out of range
   */
  public static VdafInstance vdafInstance(VdafConfiguration config) {
    return switch (config) {
      case VdafConfiguration.Prio3Count c -> new VdafInstance.Prio3Count();
      case VdafConfiguration.Prio3Sum s -> new VdafInstance.Prio3SumMaxMeasurement(s.maxMeasurement());
      case VdafConfiguration.Prio3SumVec v ->
          new VdafInstance.Prio3SumVecMaxMeasurement(v.maxMeasurement(), toInt("length", v.length()),
              toInt("chunk_length", v.chunkLength()));
      case VdafConfiguration.Prio3Histogram h ->
          new VdafInstance.Prio3Histogram(toInt("length", h.length()), toInt("chunk_length", h.chunkLength()));
      case VdafConfiguration.Prio3MultihotCountVec m ->
          new VdafInstance.Prio3MultihotCountVec(toInt("length", m.length()), toInt("max_weight", m.maxWeight()),
              toInt("chunk_length", m.chunkLength()));
      case VdafConfiguration.Poplar1 p -> throw new IllegalArgumentException("Poplar1 is not implemented");
    };
  }

  private static int toInt(String name, long v) {
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " " + v + " is too large");
    }
    return (int) v;
  }

  private static URI uri(Url url) {
    try {
      return new URI(url.value());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("endpoint " + url.value() + " is not a URI: " + e.getMessage(), e);
    }
  }
}
