package io.janus.server.datastore.model;

import java.util.Arrays;
import java.util.Optional;

/** Copy and compare helpers for the byte arrays the model records hold. */
final class Bytes {
  private Bytes() {}

  static Optional<byte[]> copy(Optional<byte[]> b) {
    return b.map(byte[]::clone);
  }

  static boolean equal(Optional<byte[]> a, Optional<byte[]> b) {
    return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
  }

  static int hash(Optional<byte[]> b) {
    return b.map(Arrays::hashCode).orElse(0);
  }
}
