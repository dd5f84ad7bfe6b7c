package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Helper's part of a report, as the Leader forwards it (draft-ietf-ppm-dap-18 section 4.5.3.1):
 * {@code ReportMetadata report_metadata; opaque public_share<0..2^32-1>; HpkeCiphertext encrypted_input_share}.
 *
 * @param metadata the report's metadata
 * @param publicShare the report's VDAF public share
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
    return new ReportShare(metadata, publicShare, HpkeCiphertext.decode(r));
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
