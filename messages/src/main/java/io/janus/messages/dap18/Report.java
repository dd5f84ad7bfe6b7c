package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * One client report (draft-ietf-ppm-dap-18 section 4.4.2): {@code ReportMetadata report_metadata;
 * opaque public_share<0..2^32-1>; HpkeCiphertext leader_encrypted_input_share;
 * HpkeCiphertext helper_encrypted_input_share}. Clients upload reports in an {@link UploadRequest}.
 *
 * @param metadata report ID, timestamp and public extensions
 * @param publicShare the VDAF public share
 * @param leaderEncryptedInputShare the Leader's sealed {@link PlaintextInputShare}
 * @param helperEncryptedInputShare the Helper's sealed {@link PlaintextInputShare}
 */
public record Report(
    ReportMetadata metadata,
    byte[] publicShare,
    HpkeCiphertext leaderEncryptedInputShare,
    HpkeCiphertext helperEncryptedInputShare)
    implements Encodable {
  /** Rejects null components and copies the public share. */
  public Report {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(leaderEncryptedInputShare, "leaderEncryptedInputShare");
    Objects.requireNonNull(helperEncryptedInputShare, "helperEncryptedInputShare");
    publicShare = publicShare.clone();
  }

  /** Reads a {@code Report}. */
  public static Report decode(WireReader r) {
    ReportMetadata metadata = ReportMetadata.decode(r);
    byte[] publicShare = r.opaque32("Report.public_share");
    HpkeCiphertext leader = HpkeCiphertext.decode(r);
    HpkeCiphertext helper = HpkeCiphertext.decode(r);
    return new Report(metadata, publicShare, leader, helper);
  }

  /** Decodes exactly one report from {@code bytes}. */
  public static Report decode(byte[] bytes) {
    return Wire.whole(bytes, "Report", Report::decode);
  }

  @Override
  public void encode(WireWriter w) {
    metadata.encode(w);
    w.opaque32(publicShare);
    leaderEncryptedInputShare.encode(w);
    helperEncryptedInputShare.encode(w);
  }

  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Report x
        && x.metadata.equals(metadata)
        && Arrays.equals(x.publicShare, publicShare)
        && x.leaderEncryptedInputShare.equals(leaderEncryptedInputShare)
        && x.helperEncryptedInputShare.equals(helperEncryptedInputShare);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metadata, Wire.hash(publicShare), leaderEncryptedInputShare, helperEncryptedInputShare);
  }

  @Override
  public String toString() {
    return "Report[metadata=" + metadata + ", publicShare=" + Wire.show(publicShare) + ", leader="
        + leaderEncryptedInputShare + ", helper=" + helperEncryptedInputShare + "]";
  }
}
