package io.janus.client.dap09;

import io.janus.client.ClientProtocol;
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
  public byte[] plaintextInputShare(byte[] inputShare, boolean taskprov) {
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
}
