package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.List;

/**
 * The Leader's request advancing an aggregation job (draft-ietf-ppm-dap-09 section 4.4.2):
 * {@code u16 step; PrepareContinue prepare_continues<1..2^32-1>}.
 *
 * @param step the aggregation step this request performs (u16)
 * @param prepareContinues one entry per report still being prepared, at least one
 */
public record AggregationJobContinueReq(int step, List<PrepareContinue> prepareContinues) implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap09.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ;

  /** Validates the step range and copies the list; it must not be empty. */
  public AggregationJobContinueReq {
    Wire.checkU16(step, "AggregationJobContinueReq.step");
    prepareContinues = Wire.nonEmptyCopy(prepareContinues, "AggregationJobContinueReq.prepare_continues");
  }

  /** Reads an {@code AggregationJobContinueReq}. */
  public static AggregationJobContinueReq decode(WireReader r) {
    int step = r.u16("AggregationJobContinueReq.step");
    return new AggregationJobContinueReq(
        step, Wire.nonEmptyItems32(r, "AggregationJobContinueReq.prepare_continues", PrepareContinue::decode));
  }

  /** Decodes a whole request body; trailing bytes are an error. */
  public static AggregationJobContinueReq decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregationJobContinueReq", AggregationJobContinueReq::decode);
  }

  @Override
  public void encode(WireWriter w) {
    w.u16(step);
    Wire.writeItems32(w, prepareContinues);
  }
}
