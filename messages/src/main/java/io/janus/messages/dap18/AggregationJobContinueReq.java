package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.List;

/**
 * The Leader's request advancing an aggregation job one step (draft-ietf-ppm-dap-18 section 4.5.4.1):
 * {@code uint16 step; VerifyContinue verify_continues[verify_continues_length]}, the continues running to the end of
 * the body with no length prefix.
 *
 * <p>The codec accepts step 0 and an empty list, both well-formed; the Helper answers step 0 with
 * {@code invalidMessage} (section 4.5.4.2), which is a protocol decision, not a decoding one.
 *
 * @param step the step the Leader has reached and asks the Helper to reach (u16)
 * @param verifyContinues one entry per report still being verified
 */
public record AggregationJobContinueReq(int step, List<VerifyContinue> verifyContinues) implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ;

  /** Validates the step and copies the list. */
  public AggregationJobContinueReq {
    Wire.checkU16(step, "AggregationJobContinueReq.step");
    verifyContinues = List.copyOf(verifyContinues);
  }

  /** Reads the request; the continues consume the rest of {@code r}, which must be exactly the request body. */
  public static AggregationJobContinueReq decode(WireReader r) {
    int step = r.u16("AggregationJobContinueReq.step");
    return new AggregationJobContinueReq(step,
        Wire.items(r, "AggregationJobContinueReq.verify_continues", VerifyContinue::decode));
  }

  /** Decodes a whole request body. */
  public static AggregationJobContinueReq decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregationJobContinueReq", AggregationJobContinueReq::decode);
  }

  @Override
  public void encode(WireWriter w) {
    w.u16(step);
    Wire.writeItems(w, verifyContinues);
  }
}
