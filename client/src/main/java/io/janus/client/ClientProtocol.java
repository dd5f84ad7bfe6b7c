package io.janus.client;

import io.janus.core.task.DapVersion;
import io.janus.core.task.TaskAgreement;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.util.List;
import java.util.Optional;

/**
 * What a client does differently in each DAP draft: where reports and HPKE configurations live, their media
 * types, the HPKE labels and associated data an input share is sealed under, and the report's encoding. The
 * {@link Client} is otherwise version-neutral; each draft implements this in its own package
 * ({@link io.janus.client.dap09.Dap09ClientProtocol}, {@link io.janus.client.dap18.Dap18ClientProtocol}) and
 * registers in {@link #of}. A protocol may be bound to one task (DAP-18's AAD binds the task's configuration).
 */
public interface ClientProtocol {
  /** The draft. */
  DapVersion version();

  /** The path, under an aggregator's endpoint, of the task's report upload resource. */
  String reportsPath(TaskId taskId);

  /** The media type of an uploaded report. */
  String reportMediaType();

  /** The path and query, under an aggregator's endpoint, of the task's HPKE configurations. */
  String hpkeConfigPath(TaskId taskId);

  /** The media type of the HPKE configuration list. */
  String hpkeConfigListMediaType();

  /** The HPKE info an input share for {@code recipient} is sealed under. */
  byte[] inputShareInfo(Role recipient);

  /** The HPKE associated data binding an input share to its task, report and public share. */
  byte[] inputShareAad(TaskId taskId, ReportId reportId, Time time, byte[] publicShare);

  /**
   * The plaintext sealed to aggregator {@code recipient}: its VDAF input share with the private extensions the
   * protocol was configured with for it (DAP-18), or with only the taskprov extension when a DAP-09 task is
   * provisioned in-band.
   */
  byte[] plaintextInputShare(Role recipient, byte[] inputShare, boolean taskprov);

  /** The name of the request header that carries a task's in-band configuration. */
  String taskprovHeader();

  /** The encoded report. */
  byte[] encodeReport(ReportId reportId, Time time, byte[] publicShare, HpkeCiphertext leaderShare,
      HpkeCiphertext helperShare);

  /** The HTTP method of an upload: {@code PUT} or {@code POST}. */
  String uploadMethod();

  /** The most reports one upload request may carry. */
  int maxReportsPerUpload();

  /**
   * The body of one upload request carrying {@code reports}, each prepared by this protocol.
   *
   * @throws IllegalArgumentException if there are none or more than {@link #maxReportsPerUpload()}
   */
  byte[] uploadBody(List<PreparedReport> reports);

  /**
   * The reports a successful upload response says the Leader refused; empty if it took them all.
   *
   * @param contentType the response's {@code Content-Type}, if any
   * @param body the response body
   * @throws DapProtocolException if the body is not a valid answer
   */
  List<ReportRejection> uploadRejections(Optional<String> contentType, byte[] body);

  /**
   * The protocol of a DAP-09 task.
   *
   * @throws IllegalArgumentException for a draft whose protocol needs the task's agreed parameters (DAP-18)
   */
  static ClientProtocol of(DapVersion version) {
    return switch (version) {
      case DAP_09 -> io.janus.client.dap09.Dap09ClientProtocol.INSTANCE;
      case DAP_18 -> throw new IllegalArgumentException("a DAP-18 client needs the task's TaskAgreement");
    };
  }

  /**
   * The protocol of task {@code taskId} of {@code version}.
   *
   * @param agreement the task's agreed parameters; required by DAP-18 (its AAD binds them), ignored by DAP-09
   * @param publicExtensions report extensions every report carries in its metadata (DAP-18 only)
   * @param privateExtensions report extensions every report carries inside both input shares (DAP-18 only)
   * @throws IllegalArgumentException if a required part is missing, DAP-09 is given extensions, or extension
   *     types repeat
   */
  static ClientProtocol of(DapVersion version, TaskId taskId, Optional<TaskAgreement> agreement,
      List<ReportExtension> publicExtensions, List<ReportExtension> privateExtensions) {
    return switch (version) {
      case DAP_09 -> {
        if (!publicExtensions.isEmpty() || !privateExtensions.isEmpty()) {
          throw new IllegalArgumentException("DAP-09 reports carry no client-chosen extensions here");
        }
        yield io.janus.client.dap09.Dap09ClientProtocol.INSTANCE;
      }
      case DAP_18 -> new io.janus.client.dap18.Dap18ClientProtocol(taskId,
          agreement.orElseThrow(() -> new IllegalArgumentException("a DAP-18 client needs the task's TaskAgreement")),
          publicExtensions, privateExtensions);
    };
  }
}
