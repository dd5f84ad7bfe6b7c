package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Leader's request creating an aggregation job at the Helper (draft-ietf-ppm-dap-18 section 4.5.3.1):
 * {@code uint8 verification_key_id; opaque agg_param<0..2^32-1>; AggregationJobExtension extensions<0..2^16-1>;
 * VerifyInit verify_inits[verify_inits_length]}, where the inits run to the end of the body with no length prefix.
 *
 * <p>Draft 18 has no partial batch selector: a leader-selected job names its batch with the
 * {@link AggregationJobExtension#leaderSelectedBatchId} extension instead. The draft sets no minimum number of
 * inits, so none is enforced here.
 *
 * @param verificationKeyId which prearranged VDAF verification key the Aggregators use (u8)
 * @param aggregationParameter the encoded VDAF aggregation parameter
 * @param extensions aggregation job extensions, in the order read (see {@link TypedExtension})
 * @param verifyInits one entry per report
 */
public record AggregationJobInitReq(
    int verificationKeyId, byte[] aggregationParameter, List<AggregationJobExtension> extensions,
    List<VerifyInit> verifyInits)
    implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ;

  /** Validates the key ID and copies arrays and lists. */
  public AggregationJobInitReq {
    Wire.checkU8(verificationKeyId, "AggregationJobInitReq.verification_key_id");
    aggregationParameter = aggregationParameter.clone();
    extensions = Wire.extensionList(extensions, "AggregationJobInitReq.extensions");
    verifyInits = List.copyOf(verifyInits);
  }

  /** Reads the request; the inits consume the rest of {@code r}, which must be exactly the request body. */
  public static AggregationJobInitReq decode(WireReader r) {
    int keyId = r.u8("AggregationJobInitReq.verification_key_id");
    byte[] param = r.opaque32("AggregationJobInitReq.agg_param");
    List<AggregationJobExtension> extensions = Wire.items(r.vector16("AggregationJobInitReq.extensions"),
        "AggregationJobInitReq.extensions", AggregationJobExtension::decode);
    List<VerifyInit> inits = Wire.items(r, "AggregationJobInitReq.verify_inits", VerifyInit::decode);
    return new AggregationJobInitReq(keyId, param, extensions, inits);
  }

  /** Decodes a whole request body. */
  public static AggregationJobInitReq decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregationJobInitReq", AggregationJobInitReq::decode);
  }

  @Override
  public void encode(WireWriter w) {
    w.u8(verificationKeyId).opaque32(aggregationParameter);
    Wire.writeItems16(w, extensions);
    Wire.writeItems(w, verifyInits);
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregationJobInitReq x
        && x.verificationKeyId == verificationKeyId
        && Arrays.equals(x.aggregationParameter, aggregationParameter)
        && x.extensions.equals(extensions)
        && x.verifyInits.equals(verifyInits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(verificationKeyId, Wire.hash(aggregationParameter), extensions, verifyInits);
  }

  @Override
  public String toString() {
    return "AggregationJobInitReq[verificationKeyId=" + verificationKeyId + ", aggregationParameter="
        + Wire.show(aggregationParameter) + ", extensions=" + extensions + ", verifyInits=" + verifyInits + "]";
  }
}
