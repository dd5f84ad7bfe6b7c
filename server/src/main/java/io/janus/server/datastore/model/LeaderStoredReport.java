package io.janus.server.datastore.model;

import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.util.Arrays;
import java.util.List;

/**
 * A report as the Leader stores it after upload: its own share decrypted, the Helper's still encrypted.
 *
 * @param taskId the task
 * @param reportId the report ID
 * @param time the client's timestamp
 * @param leaderExtensions the extensions from the Leader's plaintext input share
 * @param publicShare the VDAF public share
 * @param leaderInputShare the Leader's decrypted input share payload
 * @param helperEncryptedInputShare the Helper's input share, still sealed to the Helper
 * @param publicExtensions the extensions of the report's metadata, sent in the clear to both aggregators (DAP-18;
 *     DAP-09 reports have none)
 */
public record LeaderStoredReport(
    TaskId taskId,
    ReportId reportId,
    Time time,
    List<ReportExtension> leaderExtensions,
    byte[] publicShare,
    byte[] leaderInputShare,
    HpkeCiphertext helperEncryptedInputShare,
    List<ReportExtension> publicExtensions) {

  /** Copies the mutable inputs. */
  public LeaderStoredReport {
    leaderExtensions = List.copyOf(leaderExtensions);
    publicExtensions = List.copyOf(publicExtensions);
    publicShare = publicShare.clone();
    leaderInputShare = leaderInputShare.clone();
  }

  /** A report without public extensions (every DAP-09 report). */
  public LeaderStoredReport(TaskId taskId, ReportId reportId, Time time, List<ReportExtension> leaderExtensions,
      byte[] publicShare, byte[] leaderInputShare, HpkeCiphertext helperEncryptedInputShare) {
    this(taskId, reportId, time, leaderExtensions, publicShare, leaderInputShare, helperEncryptedInputShare,
        List.of());
  }

  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  @Override
  public byte[] leaderInputShare() {
    return leaderInputShare.clone();
  }

  /** The report's ID and time. */
  public ReportTimestamp timestamp() {
    return new ReportTimestamp(reportId, time);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeaderStoredReport r
        && r.taskId.equals(taskId)
        && r.reportId.equals(reportId)
        && r.time.equals(time)
        && r.leaderExtensions.equals(leaderExtensions)
        && Arrays.equals(r.publicShare, publicShare)
        && Arrays.equals(r.leaderInputShare, leaderInputShare)
        && r.helperEncryptedInputShare.equals(helperEncryptedInputShare)
        && r.publicExtensions.equals(publicExtensions);
  }

  @Override
  public int hashCode() {
    return taskId.hashCode() * 31 + reportId.hashCode();
  }

  @Override
  public String toString() {
    return "LeaderStoredReport[task=" + taskId + ", report=" + reportId + ", time=" + time.seconds() + "]";
  }
}
