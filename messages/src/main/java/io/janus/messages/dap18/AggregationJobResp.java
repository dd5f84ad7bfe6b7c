package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.List;

/**
 * The Helper's answer to an aggregation job init, continue or GET, once the step is ready (draft-ietf-ppm-dap-18
 * section 4.5.3.2): {@code VerifyResp verify_resps[message_length]}, filling the whole body with no length prefix.
 *
 * <p>Draft 18 has no status field: a Helper that is still working answers 2xx with an <em>empty</em> body and a
 * {@code Retry-After} (section 3.1), and the Leader polls with GET. So an empty body means "not ready", never a
 * response for zero reports; see {@link Dap18#isNotReady}. {@link #decode} fails on an empty body for that reason,
 * and the constructor refuses an empty list, which would encode to one.
 *
 * @param verifyResps one entry per report, in the order of the request
 */
public record AggregationJobResp(List<VerifyResp> verifyResps) implements Encodable {
  /** The response media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_AGGREGATION_JOB_RESP;

  /** Copies the list, which must not be empty. */
  public AggregationJobResp {
    verifyResps = List.copyOf(verifyResps);
    if (verifyResps.isEmpty()) {
      throw new IllegalArgumentException("AggregationJobResp.verify_resps must not be empty: an empty body means "
          + "the job is not ready");
    }
  }

  /** Reads entries until {@code r} is exhausted; fails if there are none. */
  public static AggregationJobResp decode(WireReader r) {
    int at = r.position();
    List<VerifyResp> resps = Wire.items(r, "AggregationJobResp.verify_resps", VerifyResp::decode);
    if (resps.isEmpty()) {
      throw new DecodeException(at,
          "AggregationJobResp.verify_resps must not be empty (an empty body means the job is not ready)");
    }
    return new AggregationJobResp(resps);
  }

  /** Decodes a whole response body. */
  public static AggregationJobResp decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregationJobResp", AggregationJobResp::decode);
  }

  @Override
  public void encode(WireWriter w) {
    Wire.writeItems(w, verifyResps);
  }
}
