package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.List;

/**
 * The Helper's answer to an aggregation job request (draft-ietf-ppm-dap-09 section 4.4.1.2):
 * {@code PrepareResp prepare_resps<1..2^32-1>}, one per report of the request and in its order.
 *
 * @param prepareResps the per-report answers, at least one
 */
public record AggregationJobResp(List<PrepareResp> prepareResps) implements Encodable {
  /** The response media type. */
  public static final String MEDIA_TYPE = Dap09.MEDIA_TYPE_AGGREGATION_JOB_RESP;

  /** Copies the list; it must not be empty. */
  public AggregationJobResp {
    prepareResps = Wire.nonEmptyCopy(prepareResps, "AggregationJobResp.prepare_resps");
  }

  /** Reads an {@code AggregationJobResp}. */
  public static AggregationJobResp decode(WireReader r) {
    return new AggregationJobResp(
        Wire.nonEmptyItems32(r, "AggregationJobResp.prepare_resps", PrepareResp::decode));
  }

  /** Decodes a whole response body; trailing bytes are an error. */
  public static AggregationJobResp decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregationJobResp", AggregationJobResp::decode);
  }

  @Override
  public void encode(WireWriter w) {
    Wire.writeItems32(w, prepareResps);
  }
}
