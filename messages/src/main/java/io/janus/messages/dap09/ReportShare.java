package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The part of a report the Leader forwards to the Helper (draft-ietf-ppm-dap-09 section 4.4.1.1):
 * {@code ReportMetadata report_metadata; opaque public_share<0..2^32-1>; HpkeCiphertext encrypted_input_share}.
 *
 * @param metadata report ID and timestamp
 * @param publicShare the VDAF public share
 * @param encryptedInputShare the Helper's sealed {@link PlaintextInputShare}
 */
public record ReportShare(ReportMetadata metadata, byte[] publicShare, HpkeCiphertext encryptedInputShare)
    implements Encodable {
  /** Rejects null components and copies the public share. */
  public ReportShare {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(encryptedInputShare, "encryptedInputShare");
    publicShare = publicShare.clone();
  }

  /** Reads a {@code ReportShare}. */
  public static ReportShare decode(WireReader r) {
    ReportMetadata metadata = ReportMetadata.decode(r);
    byte[] publicShare = r.opaque32("ReportShare.public_share");
    HpkeCiphertext share = HpkeCiphertext.decode(r);
    return new ReportShare(metadata, publicShare, share);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static ReportShare decode(byte[] bytes) {
    return Wire.whole(bytes, "ReportShare", ReportShare::decode);
  }

  @Override
  public void encode(WireWriter w) {
    metadata.encode(w);
    w.opaque32(publicShare);
    encryptedInputShare.encode(w);
  }

  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportShare x
        && x.metadata.equals(metadata)
        && Arrays.equals(x.publicShare, publicShare)
        && x.encryptedInputShare.equals(encryptedInputShare);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metadata, Wire.hash(publicShare), encryptedInputShare);
  }

  @Override
  public String toString() {
    return "ReportShare[metadata=" + metadata + ", publicShare=" + Wire.show(publicShare) + ", encryptedInputShare="
        + encryptedInputShare + "]";
  }
}
