package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.aggregator.BatchSelector;
import io.janus.aggregator.InputShare;
import io.janus.aggregator.ReportShare;
import io.janus.server.datastore.model.ReportExtension;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.messages.BatchId;
import io.janus.messages.DecodeException;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.PrepareError;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Draft 09's HPKE labels, associated data and codes, byte for byte. */
class Dap09ProtocolTest {
  private static final Dap09Protocol V = Dap09Protocol.INSTANCE;
  private static final HexFormat HEX = HexFormat.of();
  private static final TaskId TASK_ID = new TaskId(filled(32, 0x11));
  /** A task with ID {@link #TASK_ID}; only its ID enters DAP-09's AADs. */
  private static final io.janus.core.task.Task TASK = io.janus.core.task.Task.builder(TASK_ID, Role.HELPER,
      java.net.URI.create("https://leader.example/"), new io.janus.core.task.QueryType.TimeInterval(),
      new io.janus.core.task.VdafInstance.Prio3Count(), new byte[16], DapDuration.ofSeconds(100),
      new io.janus.messages.HpkeConfig(1, io.janus.messages.HpkeAlgorithms.KEM_X25519_HKDF_SHA256,
          io.janus.messages.HpkeAlgorithms.KDF_HKDF_SHA256, io.janus.messages.HpkeAlgorithms.AEAD_AES_128_GCM,
          new byte[32])).build();
  private static final ReportId REPORT = new ReportId(filled(16, 0x22));

  private static byte[] filled(int n, int b) {
    byte[] out = new byte[n];
    java.util.Arrays.fill(out, (byte) b);
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void inputShareInfoIsLabelClientAndRecipient() {
    assertThat(V.inputShareInfo(Role.LEADER)).isEqualTo(concat(ascii("dap-09 input share"), new byte[] {1, 2}));
    assertThat(V.inputShareInfo(Role.HELPER)).isEqualTo(concat(ascii("dap-09 input share"), new byte[] {1, 3}));
  }

  @Test
  void aggregateShareInfoIsLabelSenderAndCollector() {
    assertThat(V.aggregateShareInfo(Role.HELPER))
        .isEqualTo(concat(ascii("dap-09 aggregate share"), new byte[] {3, 0}));
  }

  @Test
  void inputShareAadIsTaskMetadataAndPublicShare() {
    ReportShare share = new ReportShare(REPORT, new Time(0x0102), new byte[] {(byte) 0xAB},
        new HpkeCiphertext(1, new byte[] {1}, new byte[] {1}));
    assertThat(HEX.formatHex(V.inputShareAad(TASK, share))).isEqualTo(
        "11".repeat(32)                // task_id
            + "22".repeat(16)          // report_metadata.report_id
            + "0000000000000102"       // report_metadata.time
            + "00000001" + "ab");      // public_share<0..2^32-1>
  }

  @Test
  void aggregateShareAadIsTaskParameterAndBatchSelector() {
    byte[] timeInterval = V.aggregateShareAad(TASK, new byte[] {7},
        new BatchSelector.TimeInterval(new Interval(new Time(100), DapDuration.ofSeconds(200))));
    assertThat(HEX.formatHex(timeInterval)).isEqualTo(
        "11".repeat(32)                // task_id
            + "00000001" + "07"        // agg_param<0..2^32-1>
            + "01"                     // batch_selector.query_type = time_interval
            + "0000000000000064"       // batch_interval.start
            + "00000000000000c8");     // batch_interval.duration
    byte[] fixed = V.aggregateShareAad(TASK, new byte[0], new BatchSelector.FixedSize(new BatchId(filled(32, 0x33))));
    assertThat(HEX.formatHex(fixed)).isEqualTo(
        "11".repeat(32)                // task_id
            + "00000000"               // agg_param<0..2^32-1>, empty
            + "02"                     // batch_selector.query_type = fixed_size
            + "33".repeat(32));        // batch_id
  }

  @Test
  void decodesAPlaintextInputShareWithItsExtensions() {
    byte[] plaintext = HEX.parseHex(
        "0007"                         // extensions<0..2^16-1>: 7 bytes
            + "ff00" + "0003" + "010203" // extension 0xff00 with 3 bytes
            + "00000002" + "beef");    // payload<0..2^32-1>
    InputShare share = V.decodeInputShare(plaintext);
    assertThat(share.extensions()).containsExactly(new ReportExtension(0xff00, new byte[] {1, 2, 3}));
    assertThat(share.payload()).isEqualTo(new byte[] {(byte) 0xbe, (byte) 0xef});
    assertThatThrownBy(() -> V.decodeInputShare(java.util.Arrays.copyOf(plaintext, plaintext.length + 1)))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void recognizesNoExtension() {
    assertThat(V.recognizesExtension(0x0000)).isFalse();
    assertThat(V.recognizesExtension(0xff00)).isFalse();
  }

  @Test
  void everyReportFailureHasADraft09Code() {
    Set<PrepareError> codes = EnumSet.noneOf(PrepareError.class);
    for (ReportFailure f : ReportFailure.values()) {
      codes.add(Dap09Protocol.toWire(f));
    }
    // Every draft 09 code is reachable; the two later-draft failures fold into their nearest draft 09 code.
    assertThat(codes).containsExactlyInAnyOrderElementsOf(List.of(PrepareError.values()));
    assertThat(Dap09Protocol.toWire(ReportFailure.OUTDATED_CONFIG)).isEqualTo(PrepareError.HPKE_UNKNOWN_CONFIG_ID);
    assertThat(Dap09Protocol.toWire(ReportFailure.BATCH_SATURATED)).isEqualTo(PrepareError.BATCH_SATURATED);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
