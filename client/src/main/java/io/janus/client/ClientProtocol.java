package io.janus.client;

import io.janus.core.task.DapVersion;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;

/**
 * What a client does differently in each DAP draft: where reports and HPKE configurations live, their media
 * types, the HPKE labels and associated data an input share is sealed under, and the report's encoding. The
 * {@link Client} is otherwise version-neutral; each draft implements this in its own package
 * ({@link io.janus.client.dap09.Dap09ClientProtocol}) and registers in {@link #of}.
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
   * The plaintext sealed to an aggregator: its VDAF input share, with no extensions, or with only the taskprov
   * extension when the task is provisioned in-band.
   */
  byte[] plaintextInputShare(byte[] inputShare, boolean taskprov);

  /** The name of the request header that carries a task's in-band configuration. */
  String taskprovHeader();

  /** The encoded report. */
  byte[] encodeReport(ReportId reportId, Time time, byte[] publicShare, HpkeCiphertext leaderShare,
      HpkeCiphertext helperShare);

  /** The protocol of {@code version}. */
  static ClientProtocol of(DapVersion version) {
    return switch (version) {
      case DAP_09 -> io.janus.client.dap09.Dap09ClientProtocol.INSTANCE;
      case DAP_18 -> throw new IllegalArgumentException("no DAP-18 client yet");
    };
  }
}
