package io.janus.aggregator;

import io.janus.messages.HpkeCiphertext;
import io.janus.server.datastore.model.ReportExtension;
import io.janus.messages.ReportId;
import io.janus.messages.Time;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One aggregator's view of a report, version-neutral: its public parts and this aggregator's sealed input share.
 *
 * @param reportId the report ID, also the VDAF nonce
 * @param time the client's timestamp
 * @param publicShare the VDAF public share
 * @param encryptedInputShare this aggregator's sealed input share
 * @param publicExtensions the report's public extensions in wire order (DAP-18; DAP-09 reports have none)
 */
public record ReportShare(ReportId reportId, Time time, byte[] publicShare, HpkeCiphertext encryptedInputShare,
    List<ReportExtension> publicExtensions) {
  /** Rejects nulls and copies the public share and the extensions. */
  public ReportShare {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(encryptedInputShare, "encryptedInputShare");
    publicShare = publicShare.clone();
    publicExtensions = List.copyOf(publicExtensions);
  }

  /** A report share without public extensions (every DAP-09 report). */
  public ReportShare(ReportId reportId, Time time, byte[] publicShare, HpkeCiphertext encryptedInputShare) {
    this(reportId, time, publicShare, encryptedInputShare, List.of());
  }

  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportShare r
        && r.reportId.equals(reportId)
        && r.time.equals(time)
        && Arrays.equals(r.publicShare, publicShare)
        && r.encryptedInputShare.equals(encryptedInputShare)
        && r.publicExtensions.equals(publicExtensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reportId, time, Arrays.hashCode(publicShare), encryptedInputShare, publicExtensions);
  }

  @Override
  public String toString() {
    return "ReportShare[" + reportId + ", time=" + time.seconds() + "]";
  }
}
