package io.janus.client.dap18;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.client.ClientProtocol;
import io.janus.client.DapProtocolException;
import io.janus.client.PreparedReport;
import io.janus.client.ReportExtension;
import io.janus.client.ReportRejection;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Known encodings of the client side of DAP-18, annotated field by field. */
class Dap18ClientProtocolTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final TaskId TASK = new TaskId(filled(32, 0x11));
  private static final ReportId REPORT = new ReportId(HEX.parseHex("000102030405060708090a0b0c0d0e0f"));
  private static final TaskAgreement AGREEMENT = new TaskAgreement(new byte[] {'t'}, URI.create("https://l/"),
      URI.create("https://h/"), DapDuration.ofSeconds(100), 10, new QueryType.TimeInterval(),
      new VdafInstance.Prio3Count(), Optional.empty());
  private static final String TASK_CONFIGURATION = "0174" // task_info "t"
      + "000a" + hex("https://l/") // leader
      + "000a" + hex("https://h/") // helper
      + "0000000000000064" // time_precision 100 s
      + "000000000000000a" // min_batch_size 10
      + "01" + "0000" // time_interval, empty batch_config
      + "00000001" + "0000" // Prio3Count, empty configuration
      + "0000"; // no task extensions
  private static final String METADATA = "000102030405060708090a0b0c0d0e0f" // report_id
      + "000000000000007b" // time: 12300 s is 123 units of 100 s
      + "0005" + "0005" + "0001" + "ee"; // public_extensions: type 5, data ee

  private final Dap18ClientProtocol protocol = new Dap18ClientProtocol(TASK, AGREEMENT,
      List.of(new ReportExtension(5, new byte[] {(byte) 0xee})), List.of(new ReportExtension(6, new byte[0])));

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
    assertThat(protocol.hpkeConfigPath(TASK)).isEqualTo("/hpke_config");
    assertThat(protocol.hpkeConfigListMediaType()).isEqualTo("application/ppm-dap;message=hpke-config-list");
    assertThat(protocol.reportsPath(TASK)).isEqualTo("/tasks/" + TASK.toBase64Url() + "/reports");
    assertThat(protocol.reportMediaType()).isEqualTo("application/ppm-dap;message=upload-req");
    assertThat(protocol.uploadMethod()).isEqualTo("POST");
    assertThat(HEX.formatHex(protocol.inputShareInfo(Role.HELPER))).isEqualTo(hex("dap-18 input share") + "0103");
    assertThat(HEX.formatHex(protocol.taskConfiguration().toBytes())).isEqualTo(TASK_CONFIGURATION);
  }

  @Test
  void encodesTheReportWithTimeInPrecisionUnits() {
    byte[] report = protocol.encodeReport(REPORT, new Time(12_300), new byte[] {(byte) 0xab},
        new HpkeCiphertext(1, new byte[] {1}, new byte[] {2}), new HpkeCiphertext(2, new byte[] {3}, new byte[] {4}));
    assertThat(HEX.formatHex(report)).isEqualTo(METADATA
        + "00000001" + "ab" // public_share
        + "01" + "0001" + "01" + "00000001" + "02" // Leader's HpkeCiphertext
        + "02" + "0001" + "03" + "00000001" + "04"); // Helper's HpkeCiphertext
    assertThatThrownBy(() -> protocol.encodeReport(REPORT, new Time(12_301), new byte[0],
        new HpkeCiphertext(1, new byte[] {1}, new byte[] {2}), new HpkeCiphertext(2, new byte[] {3}, new byte[] {4})))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bindsTheTaskConfigurationIntoTheAad() {
    assertThat(HEX.formatHex(protocol.inputShareAad(TASK, REPORT, new Time(12_300), new byte[] {(byte) 0xab})))
        .isEqualTo("11".repeat(32) + TASK_CONFIGURATION + METADATA + "00000001" + "ab");
  }

  @Test
  void wrapsTheInputShareWithPrivateExtensions() {
    assertThat(HEX.formatHex(protocol.plaintextInputShare(Role.LEADER, new byte[] {9}, false)))
        .isEqualTo("0004" + "0006" + "0000" // private_extensions: type 6, no data
            + "00000001" + "09"); // payload
    assertThatThrownBy(() -> protocol.plaintextInputShare(Role.LEADER, new byte[] {9}, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void extensionTypesAreSortedAndNeverRepeat() {
    Dap18ClientProtocol p = new Dap18ClientProtocol(TASK, AGREEMENT, List.of(),
        List.of(new ReportExtension(9, new byte[0]), new ReportExtension(7, new byte[0])));
    assertThat(HEX.formatHex(p.plaintextInputShare(Role.HELPER, new byte[] {1}, false)))
        .startsWith("0008" + "0007" + "0000" + "0009" + "0000");
    assertThatThrownBy(() -> new Dap18ClientProtocol(TASK, AGREEMENT, List.of(new ReportExtension(7, new byte[0])),
        List.of(new ReportExtension(7, new byte[0])))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Dap18ClientProtocol(TASK, AGREEMENT, List.of(),
        List.of(new ReportExtension(7, new byte[0]), new ReportExtension(7, new byte[] {1}))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void uploadsManyReportsInOneBodyAndReadsUploadErrors() {
    PreparedReport a = new PreparedReport(REPORT, new Time(0), protocol.reportMediaType(), new byte[] {1, 2});
    PreparedReport b = new PreparedReport(REPORT, new Time(0), protocol.reportMediaType(), new byte[] {3});
    assertThat(protocol.uploadBody(List.of(a, b))).containsExactly(1, 2, 3);
    assertThat(protocol.uploadRejections(Optional.empty(), new byte[0])).isEmpty();
    byte[] errors = HEX.parseHex("000102030405060708090a0b0c0d0e0f" + "0b" + "000102030405060708090a0b0c0d0e0f" + "09");
    assertThat(protocol.uploadRejections(
        Optional.of("application/ppm-dap; message=\"upload-errors\"; version=18"), errors))
        .containsExactly(new ReportRejection(REPORT, "outdated_config"), new ReportRejection(REPORT,
            "report_too_early"));
    assertThatThrownBy(() -> protocol.uploadRejections(Optional.of("application/ppm-dap;message=upload-req"),
        errors)).isInstanceOf(DapProtocolException.class);
    assertThatThrownBy(() -> protocol.uploadRejections(Optional.of("application/ppm-dap;message=upload-errors"),
        new byte[] {0})).isInstanceOf(DapProtocolException.class);
  }

  @Test
  void registeredBesideDap09() {
    assertThat(ClientProtocol.of(DapVersion.DAP_18, TASK, Optional.of(AGREEMENT), List.of(), List.of()))
        .isInstanceOf(Dap18ClientProtocol.class);
    assertThatThrownBy(() -> ClientProtocol.of(DapVersion.DAP_18)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientProtocol.of(DapVersion.DAP_09, TASK, Optional.empty(),
        List.of(new ReportExtension(1, new byte[0])), List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(ClientProtocol.of(DapVersion.DAP_09, TASK, Optional.empty(), List.of(), List.of()).uploadMethod())
        .isEqualTo("PUT");
  }
}
