package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * The Helper's answer to an {@link AggregateShareReq} (draft-ietf-ppm-dap-09 section 4.5.2):
 * {@code HpkeCiphertext encrypted_aggregate_share}.
 *
 * @param encryptedAggregateShare the Helper's aggregate share sealed to the Collector
 */
public record AggregateShare(HpkeCiphertext encryptedAggregateShare) implements Encodable {
  /** The response media type. */
  public static final String MEDIA_TYPE = Dap09.MEDIA_TYPE_AGGREGATE_SHARE;

  /** Rejects a null ciphertext. */
  public AggregateShare {
    Objects.requireNonNull(encryptedAggregateShare, "encryptedAggregateShare");
  }

  /** Reads an {@code AggregateShare}. */
  public static AggregateShare decode(WireReader r) {
    return new AggregateShare(HpkeCiphertext.decode(r));
  }

  /** Decodes a whole response body; trailing bytes are an error. */
  public static AggregateShare decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregateShare", AggregateShare::decode);
  }

  @Override
  public void encode(WireWriter w) {
    encryptedAggregateShare.encode(w);
  }
}
