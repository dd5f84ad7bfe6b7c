package io.janus.core.dap18;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Time;
import io.janus.messages.Url;
import io.janus.messages.dap18.BatchMode;
import io.janus.messages.dap18.TaskConfiguration;
import io.janus.messages.dap18.TaskExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Dap18TaskConfigurationsTest {
  private static final URI LEADER = URI.create("https://leader.example/");
  private static final URI HELPER = URI.create("https://helper.example/");

  private static TaskAgreement agreement(QueryType queryType, VdafInstance vdaf, Optional<Interval> interval) {
    return new TaskAgreement("abc".getBytes(StandardCharsets.US_ASCII), LEADER, HELPER, DapDuration.ofSeconds(300),
        100, queryType, vdaf, interval);
  }

  @Test
  void encodesTheAgreementByteForByte() {
    TaskAgreement a = agreement(new QueryType.TimeInterval(), new VdafInstance.Prio3SumMaxMeasurement(255),
        Optional.of(new Interval(new Time(3000), DapDuration.ofSeconds(6000))));
    String url = "0017" + HexFormat.of().formatHex("https://leader.example/".getBytes(StandardCharsets.US_ASCII));
    String helperUrl =
        "0017" + HexFormat.of().formatHex("https://helper.example/".getBytes(StandardCharsets.US_ASCII));
    String expected = "03616263" // task_info
        + url // leader_aggregator_endpoint
        + helperUrl // helper_aggregator_endpoint
        + "000000000000012c" // time_precision: 300 s
        + "0000000000000064" // min_batch_size: 100
        + "01" // batch_mode: time_interval
        + "0000" // batch_config: empty
        + "00000002" // vdaf_type: Prio3Sum
        + "0008" + "00000000000000ff" // vdaf_configuration: max_measurement 255
        + "0014" // extensions: 20 bytes
        + "0001" + "0010" // task_interval, 16 bytes of data
        + "000000000000000a" + "0000000000000014"; // start 10 units, duration 20 units
    TaskConfiguration c = Dap18TaskConfigurations.toTaskConfiguration(a);
    assertThat(HexFormat.of().formatHex(c.toBytes())).isEqualTo(expected);
    assertThat(Dap18TaskConfigurations.toAgreement(TaskConfiguration.decode(HexFormat.of().parseHex(expected))))
        .isEqualTo(a);
  }

  static Stream<TaskAgreement> expressible() {
    return Stream.of(
        agreement(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), Optional.empty()),
        agreement(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
            new VdafInstance.Prio3SumVecMaxMeasurement(1000, 12, 4), Optional.empty()),
        agreement(new QueryType.TimeInterval(), new VdafInstance.Prio3Histogram(5, 2), Optional.empty()),
        agreement(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
            new VdafInstance.Prio3MultihotCountVec(10, 3, 4),
            Optional.of(new Interval(new Time(0), DapDuration.ofSeconds(300)))));
  }

  @ParameterizedTest
  @MethodSource("expressible")
  void roundTripsBothWays(TaskAgreement a) {
    TaskConfiguration c = Dap18TaskConfigurations.toTaskConfiguration(a);
    assertThat(Dap18TaskConfigurations.toAgreement(c)).isEqualTo(a);
    assertThat(Dap18TaskConfigurations.toTaskConfiguration(Dap18TaskConfigurations.toAgreement(c))).isEqualTo(c);
    assertThat(TaskConfiguration.decode(c.toBytes())).isEqualTo(c);
  }

  @Test
  void refusesWhatDap18CannotExpress() {
    assertThatThrownBy(() -> Dap18TaskConfigurations.toTaskConfiguration(agreement(
        new QueryType.FixedSize(OptionalLong.of(10), Optional.empty()), new VdafInstance.Prio3Count(),
        Optional.empty()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_batch_size");
    assertThatThrownBy(() -> Dap18TaskConfigurations.toTaskConfiguration(agreement(new QueryType.TimeInterval(),
        new VdafInstance.Prio3Sum(8), Optional.empty()))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Dap18TaskConfigurations.toTaskConfiguration(agreement(new QueryType.TimeInterval(),
        new VdafInstance.Prio3Count(), Optional.of(new Interval(new Time(1), DapDuration.ofSeconds(300))))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesConfigurationsThisImplementationCannotRun() {
    TaskConfiguration ok = Dap18TaskConfigurations.toTaskConfiguration(
        agreement(new QueryType.TimeInterval(), new VdafInstance.Prio3Count(), Optional.empty()));
    assertThatThrownBy(() -> Dap18TaskConfigurations.toAgreement(with(ok, 0, new byte[0], 1, new byte[0],
        List.of()))).hasMessageContaining("time_precision");
    assertThatThrownBy(() -> Dap18TaskConfigurations.toAgreement(with(ok, 300, new byte[] {1}, 1, new byte[0],
        List.of()))).hasMessageContaining("batch_config");
    assertThatThrownBy(() -> Dap18TaskConfigurations.toAgreement(with(ok, 300, new byte[0], 6,
        new byte[] {0, 8}, List.of()))).hasMessageContaining("Poplar1");
    assertThatThrownBy(() -> Dap18TaskConfigurations.toAgreement(with(ok, 300, new byte[0], 99, new byte[0],
        List.of()))).hasMessageContaining("unknown VDAF");
    assertThatThrownBy(() -> Dap18TaskConfigurations.toAgreement(with(ok, 300, new byte[0], 1, new byte[0],
        List.of(new TaskExtension(7, new byte[0]))))).hasMessageContaining("unsupported task extension");
    assertThatThrownBy(() -> Dap18TaskConfigurations.toAgreement(with(ok, 300, new byte[0], 1, new byte[0],
        List.of(new TaskExtension(7, new byte[0]), new TaskExtension(1, new byte[0])))))
        .hasMessageContaining("increasing");
  }

  private static TaskConfiguration with(TaskConfiguration c, long precision, byte[] batchConfig, long vdafType,
      byte[] vdafConfig, List<TaskExtension> extensions) {
    return new TaskConfiguration(c.taskInfo(), new Url(LEADER.toString()), new Url(HELPER.toString()), precision,
        c.minBatchSize(), BatchMode.TIME_INTERVAL, batchConfig, vdafType, vdafConfig, extensions);
  }
}
