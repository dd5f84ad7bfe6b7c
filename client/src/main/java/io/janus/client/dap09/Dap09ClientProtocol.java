package io.janus.client.dap09;

import io.janus.client.ClientProtocol;
import io.janus.client.PreparedReport;
import io.janus.client.ReportRejection;
import io.janus.core.task.DapVersion;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Extension;
import io.janus.messages.dap09.InputShareAad;
import io.janus.messages.dap09.PlaintextInputShare;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import java.util.List;
import java.util.Optional;

/** The client side of draft-ietf-ppm-dap-09 (sections 4.3 and 4.4). */
public final class Dap09ClientProtocol implements ClientProtocol {
  /** The one instance. */
  public static final Dap09ClientProtocol INSTANCE = new Dap09ClientProtocol();

  private Dap09ClientProtocol() {}

  @Override
  public DapVersion version() {
    return DapVersion.DAP_09;
  }

  @Override
  public String reportsPath(TaskId taskId) {
    return Dap09.reportsPath(taskId);
  }

  @Override
  public String reportMediaType() {
    return Report.MEDIA_TYPE;
  }

  @Override
  public String hpkeConfigPath(TaskId taskId) {
    return Dap09.ROUTE_HPKE_CONFIG + "?" + Dap09.QUERY_TASK_ID + "=" + taskId.toBase64Url();
  }

  @Override
  public String hpkeConfigListMediaType() {
    return Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST;
  }

  @Override
  public byte[] inputShareInfo(Role recipient) {
    return Dap09.inputShareInfo(recipient);
  }

  @Override
  public byte[] inputShareAad(TaskId taskId, ReportId reportId, Time time, byte[] publicShare) {
    return new InputShareAad(taskId, new ReportMetadata(reportId, time), publicShare).toBytes();
  }

  /** The taskprov extension, as Janus 0.7 requires it: type 0xFF00 with empty data. */
  @Override
  public byte[] plaintextInputShare(Role recipient, byte[] inputShare, boolean taskprov) {
    List<Extension> extensions = taskprov ? List.of(new Extension(Dap09.EXTENSION_TASKPROV, new byte[0])) : List.of();
    return new PlaintextInputShare(extensions, inputShare).toBytes();
  }

  @Override
  public String taskprovHeader() {
    return Dap09.HEADER_TASKPROV;
  }

  @Override
  public byte[] encodeReport(ReportId reportId, Time time, byte[] publicShare, HpkeCiphertext leaderShare,
      HpkeCiphertext helperShare) {
    return new Report(new ReportMetadata(reportId, time), publicShare, leaderShare, helperShare).toBytes();
  }

  /** Section 4.3.2: {@code PUT /tasks/{task-id}/reports}, one report per request. */
  @Override
  public String uploadMethod() {
    return "PUT";
  }

  @Override
  public int maxReportsPerUpload() {
    return 1;
  }

  @Override
  public byte[] uploadBody(List<PreparedReport> reports) {
    if (reports.size() != 1) {
      throw new IllegalArgumentException("a DAP-09 upload carries exactly one report, got " + reports.size());
    }
    return reports.get(0).toBytes();
  }

  /** DAP-09 refuses a report with an error status and a problem document, never in a successful answer. */
  @Override
  public List<ReportRejection> uploadRejections(Optional<String> contentType, byte[] body) {
    return List.of();
  }
}
