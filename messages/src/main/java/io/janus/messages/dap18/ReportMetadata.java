package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.ReportId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.List;
import java.util.Objects;

/**
 * A report's public metadata (draft-ietf-ppm-dap-18 section 4.4.2): {@code ReportID report_id; Time time;
 * Extension public_extensions<0..2^16-1>}. Draft 18 moved the public report extensions here; private ones travel
 * in each {@link PlaintextInputShare}.
 *
 * @param reportId the report's ID, also the VDAF nonce
 * @param time the client's timestamp, in time-precision units since the epoch (section 4.1.1), not seconds
 * @param publicExtensions extensions both Aggregators see, in the order read (see {@link TypedExtension})
 */
public record ReportMetadata(ReportId reportId, long time, List<Extension> publicExtensions) implements Encodable {
  /** Rejects null components and a negative time; copies the list. */
  public ReportMetadata {
    Objects.requireNonNull(reportId, "reportId");
    Wire.checkNonNegative(time, "ReportMetadata.time");
    publicExtensions = Wire.extensionList(publicExtensions, "ReportMetadata.public_extensions");
  }

  /** Reads {@code ReportMetadata}. */
  public static ReportMetadata decode(WireReader r) {
    ReportId id = ReportId.decode(r);
    long time = Wire.u64NonNegative(r, "ReportMetadata.time");
    List<Extension> extensions =
        Wire.items(r.vector16("ReportMetadata.public_extensions"), "ReportMetadata.public_extensions",
            Extension::decode);
    return new ReportMetadata(id, time, extensions);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static ReportMetadata decode(byte[] bytes) {
    return Wire.whole(bytes, "ReportMetadata", ReportMetadata::decode);
  }

  @Override
  public void encode(WireWriter w) {
    reportId.encode(w);
    w.u64(time);
    Wire.writeItems16(w, publicExtensions);
  }
}
