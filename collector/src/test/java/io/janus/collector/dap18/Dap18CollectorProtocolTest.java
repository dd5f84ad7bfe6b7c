package io.janus.collector.dap18;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.client.DapProtocolException;
import io.janus.collector.CollectorProtocol;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap18.CollectionJobResp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Known encodings of the collector side of DAP-18, annotated field by field. */
class Dap18CollectorProtocolTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final TaskId TASK = new TaskId(filled(32, 0x22));
  private static final TaskAgreement AGREEMENT = new TaskAgreement(new byte[] {'t'}, URI.create("https://l/"),
      URI.create("https://h/"), DapDuration.ofSeconds(3600), 10,
      new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()), new VdafInstance.Prio3SumMaxMeasurement(7),
      Optional.empty());
  private static final String TASK_CONFIGURATION = "0174" // task_info "t"
      + "000a" + hex("https://l/") + "000a" + hex("https://h/") // endpoints
      + "0000000000000e10" // time_precision 3600 s
      + "000000000000000a" // min_batch_size 10
      + "02" + "0000" // leader_selected, empty batch_config
      + "00000002" + "0008" + "0000000000000007" // Prio3Sum, max_measurement 7
      + "0000"; // no task extensions
  private static final String TIME_INTERVAL_REQ = "01" + "0010" // time_interval query, 16 bytes of config
      + "000000000000000a" + "0000000000000002" // start 10 h, duration 2 h
      + "00000000" // empty agg_param
      + "0000"; // no extensions

  private final Dap18CollectorProtocol protocol = new Dap18CollectorProtocol(AGREEMENT);

  private static byte[] filled(int n, int b) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) b);
    return out;
  }

  private static String hex(String ascii) {
    return HEX.formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void routesMediaTypesAndLabels() {
    assertThat(protocol.version()).isEqualTo(DapVersion.DAP_18);
    assertThat(protocol.leaderAssignsJobId()).isTrue();
    assertThat(protocol.collectionJobsPath(TASK)).isEqualTo("/tasks/" + TASK.toBase64Url() + "/collection_jobs");
    assertThat(protocol.pollMethod()).isEqualTo("GET");
    assertThat(protocol.collectionRequestMediaType()).isEqualTo("application/ppm-dap;message=collection-job-req");
    assertThat(protocol.collectionMediaType()).isEqualTo("application/ppm-dap;message=collection-job-resp");
    assertThat(HEX.formatHex(protocol.aggregateShareInfo(Role.LEADER)))
        .isEqualTo(hex("dap-18 aggregate share") + "0200"); // Leader to Collector
    assertThat(HEX.formatHex(protocol.taskConfiguration().toBytes())).isEqualTo(TASK_CONFIGURATION);
  }

  @Test
  void encodesBothBatchModesQueries() {
    Query timeInterval = new Query.TimeInterval(new Interval(new Time(36_000), DapDuration.ofSeconds(7200)));
    assertThat(HEX.formatHex(protocol.encodeCollectionRequest(timeInterval, new byte[0])))
        .isEqualTo(TIME_INTERVAL_REQ);
    assertThat(HEX.formatHex(protocol.encodeCollectionRequest(new Query.FixedSizeCurrentBatch(), new byte[] {5})))
        .isEqualTo("02" + "0000" // leader_selected query, empty config
            + "00000001" + "05" // agg_param
            + "0000"); // no extensions
    assertThatThrownBy(() -> protocol.encodeCollectionRequest(new Query.FixedSizeByBatchId(new BatchId(new byte[32])),
        new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> protocol.encodeCollectionRequest(
        new Query.TimeInterval(new Interval(new Time(36_001), DapDuration.ofSeconds(3600))), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bindsTaskConfigurationAndRequestIntoTheAad() {
    Query q = new Query.TimeInterval(new Interval(new Time(36_000), DapDuration.ofSeconds(7200)));
    assertThat(HEX.formatHex(protocol.aggregateShareAad(TASK, new byte[0], q, Optional.empty())))
        .isEqualTo("22".repeat(32) + TASK_CONFIGURATION + TIME_INTERVAL_REQ);
  }

  @Test
  void decodesTheAnswerIntoSeconds() {
    HpkeCiphertext l = new HpkeCiphertext(1, new byte[] {1}, new byte[] {2});
    HpkeCiphertext h = new HpkeCiphertext(2, new byte[] {3}, new byte[] {4});
    byte[] body = new CollectionJobResp(5, new io.janus.messages.dap18.Interval(10, 2), l, h).toBytes();
    assertThat(HEX.formatHex(body)).isEqualTo("0000000000000005" + "000000000000000a" + "0000000000000002"
        + "01000101000000010202000103" + "0000000104");
    assertThat(protocol.decodeCollection(body)).isEqualTo(new CollectorProtocol.Collected(Optional.empty(), 5,
        new Interval(new Time(36_000), DapDuration.ofSeconds(7200)), l, h));
  }

  @Test
  void anEmptySuccessfulAnswerIsNotReady() {
    assertThat(protocol.isReady(200, new byte[0])).isEmpty();
    assertThat(protocol.isReady(202, new byte[0])).isEmpty();
    assertThat(protocol.isReady(200, new byte[] {0})).hasValue(true);
    assertThat(protocol.isReady(201, new byte[] {0})).hasValue(true);
  }

  @Test
  void aDap18AnswerNamesNoBatch() {
    protocol.checkBatch(new Query.FixedSizeCurrentBatch(), Optional.empty());
    assertThatThrownBy(() -> protocol.checkBatch(new Query.FixedSizeCurrentBatch(),
        Optional.of(new BatchId(new byte[32])))).isInstanceOf(DapProtocolException.class);
  }

  @Test
  void registeredBesideDap09() {
    assertThat(CollectorProtocol.of(DapVersion.DAP_18, Optional.of(AGREEMENT)))
        .isInstanceOf(Dap18CollectorProtocol.class);
    assertThatThrownBy(() -> CollectorProtocol.of(DapVersion.DAP_18)).isInstanceOf(IllegalArgumentException.class);
    assertThat(CollectorProtocol.of(DapVersion.DAP_09).leaderAssignsJobId()).isFalse();
  }
}
