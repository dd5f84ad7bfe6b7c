package io.janus.core.task;

import io.janus.messages.ReportId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The checksum of a set of reports (draft-ietf-ppm-dap-09 section 4.6.2): the XOR of SHA-256 over each report ID.
 * XOR makes it independent of order and lets the checksums of disjoint sets combine, so batch aggregation shards
 * and job drivers can each hold a partial checksum. Immutable.
 */
public final class ReportIdChecksum {
  /** Length of a checksum in bytes. */
  public static final int LENGTH = 32;

  private static final ReportIdChecksum EMPTY = new ReportIdChecksum(new byte[LENGTH]);

  private final byte[] bytes;

  private ReportIdChecksum(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns the checksum of no reports (all zeros). */
  public static ReportIdChecksum empty() {
    return EMPTY;
  }

  /** Returns the checksum of a set holding only {@code reportId}: SHA-256 of its 16 bytes. */
  public static ReportIdChecksum of(ReportId reportId) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
    return new ReportIdChecksum(sha256.digest(reportId.bytes()));
  }

  /**
   * Returns a checksum read back from its encoding (a stored column or a wire field).
   *
   * @throws IllegalArgumentException if {@code encoded} is not {@value #LENGTH} bytes
   */
  public static ReportIdChecksum decode(byte[] encoded) {
    if (encoded.length != LENGTH) {
      throw new IllegalArgumentException("checksum must be " + LENGTH + " bytes, got " + encoded.length);
    }
    return new ReportIdChecksum(encoded.clone());
  }

  /** Returns the checksum of the union of this set and a disjoint one: the XOR of both checksums. */
  public ReportIdChecksum combinedWith(ReportIdChecksum other) {
    byte[] out = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = (byte) (bytes[i] ^ other.bytes[i]);
    }
    return new ReportIdChecksum(out);
  }

  /** Returns this checksum with one more report: {@code combinedWith(of(reportId))}. */
  public ReportIdChecksum updatedWith(ReportId reportId) {
    return combinedWith(of(reportId));
  }

  /** Returns a copy of the {@value #LENGTH}-byte encoding. */
  public byte[] encode() {
    return bytes.clone();
  }

  /** Compares the bytes in constant time: a checksum is compared against one a peer sent. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ReportIdChecksum other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Returns the checksum in hex. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
