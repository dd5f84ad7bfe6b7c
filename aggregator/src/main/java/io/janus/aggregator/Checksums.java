package io.janus.aggregator;

import io.janus.messages.ReportId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The batch checksum of draft-ietf-ppm-dap-09 section 4.6.2: XOR over SHA-256 of each report ID. */
final class Checksums {
  /** Length of a checksum in bytes. */
  static final int LENGTH = 32;

  private Checksums() {}

  /** The checksum of a batch holding only {@code reportId}. */
  static byte[] of(ReportId reportId) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(reportId.bytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  /** XORs {@code add} into {@code acc}, in place. */
  static void xorInto(byte[] acc, byte[] add) {
    for (int i = 0; i < LENGTH; i++) {
      acc[i] ^= add[i];
    }
  }
}
