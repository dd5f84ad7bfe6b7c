package io.janus.aggregator;

import io.janus.server.datastore.model.ReportExtension;
import java.util.List;

/**
 * A decrypted input share, version-neutral: the extensions meant for this aggregator and the VDAF input share.
 *
 * @param extensions in wire order; duplicates are kept so that the Aggregator can reject them
 * @param payload the encoded VDAF input share
 */
public record InputShare(List<ReportExtension> extensions, byte[] payload) {
  /** Copies the list and the payload. */
  public InputShare {
    extensions = List.copyOf(extensions);
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputShare s && s.extensions.equals(extensions) && java.util.Arrays.equals(s.payload, payload);
  }

  @Override
  public int hashCode() {
    return extensions.hashCode() * 31 + java.util.Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "InputShare[extensions=" + extensions + ", payload=" + payload.length + " bytes]";
  }
}
