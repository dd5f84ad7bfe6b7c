package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Leader's request creating an aggregation job at the Helper (draft-ietf-ppm-dap-09 section 4.4.1.1):
 * {@code opaque agg_param<0..2^32-1>; PartialBatchSelector part_batch_selector;
 * PrepareInit prepare_inits<1..2^32-1>}.
 *
 * @param aggregationParameter the encoded VDAF aggregation parameter
 * @param partialBatchSelector the batch the job's reports belong to
 * @param prepareInits one entry per report, at least one
 */
public record AggregationJobInitReq(
    byte[] aggregationParameter, PartialBatchSelector partialBatchSelector, List<PrepareInit> prepareInits)
    implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ;

  /** Copies the arrays and the list; the list must not be empty. */
  public AggregationJobInitReq {
    Objects.requireNonNull(partialBatchSelector, "partialBatchSelector");
    aggregationParameter = aggregationParameter.clone();
    prepareInits = Wire.nonEmptyCopy(prepareInits, "AggregationJobInitReq.prepare_inits");
  }

  /** Reads an {@code AggregationJobInitReq}. */
  public static AggregationJobInitReq decode(WireReader r) {
    byte[] param = r.opaque32("AggregationJobInitReq.agg_param");
    PartialBatchSelector selector = PartialBatchSelector.decode(r);
    List<PrepareInit> inits =
        Wire.nonEmptyItems32(r, "AggregationJobInitReq.prepare_inits", PrepareInit::decode);
    return new AggregationJobInitReq(param, selector, inits);
  }

  /** Decodes a whole request body; trailing bytes are an error. */
  public static AggregationJobInitReq decode(byte[] bytes) {
    return Wire.whole(bytes, "AggregationJobInitReq", AggregationJobInitReq::decode);
  }

  @Override
  public void encode(WireWriter w) {
    w.opaque32(aggregationParameter);
    partialBatchSelector.encode(w);
    Wire.writeItems32(w, prepareInits);
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregationJobInitReq x
        && Arrays.equals(x.aggregationParameter, aggregationParameter)
        && x.partialBatchSelector.equals(partialBatchSelector)
        && x.prepareInits.equals(prepareInits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Wire.hash(aggregationParameter), partialBatchSelector, prepareInits);
  }

  @Override
  public String toString() {
    return "AggregationJobInitReq[aggregationParameter=" + Wire.show(aggregationParameter) + ", partialBatchSelector="
        + partialBatchSelector + ", prepareInits=" + prepareInits + "]";
  }
}
