package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * The Helper's aggregate share, sealed to the Collector (draft-ietf-ppm-dap-18 section 4.6.4):
 * {@code HpkeCiphertext encrypted_aggregate_share}.
 *
 * @param encryptedAggregateShare the sealed share
 */
public record AggregateShare(HpkeCiphertext encryptedAggregateShare) implements Encodable {
  /** The response media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_AGGREGATE_SHARE;

  /** Rejects a null ciphertext. */
  public AggregateShare {
    Objects.requireNonNull(encryptedAggregateShare, "encryptedAggregateShare");
  }

  /** Reads an {@code AggregateShare}. */
  public static AggregateShare decode(WireReader r) {
    return new AggregateShare(HpkeCiphertext.decode(r));
  }

  /** Decodes a whole response body. */
  public static AggregateShare decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregateShare", AggregateShare::decode);
  }

  @Override
  public void encode(WireWriter w) {
    encryptedAggregateShare.encode(w);
  }
}
