package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Collector's request creating a collection job (draft-ietf-ppm-dap-09 section 4.5.1):
 * {@code Query query; opaque agg_param<0..2^32-1>}.
 *
 * @param query which batch to collect
 * @param aggregationParameter the encoded VDAF aggregation parameter
 */
public record CollectionReq(Query query, byte[] aggregationParameter) implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap09.MEDIA_TYPE_COLLECT_REQ;

  /** Rejects a null query and copies the parameter. */
  public CollectionReq {
    Objects.requireNonNull(query, "query");
    aggregationParameter = aggregationParameter.clone();
  }

  /** Reads a {@code CollectionReq}. */
  public static CollectionReq decode(WireReader r) {
    Query query = Query.decode(r);
    return new CollectionReq(query, r.opaque32("CollectionReq.agg_param"));
  }

  /** Decodes a whole request body; trailing bytes are an error. */
  public static CollectionReq decode(byte[] bytes) {
    return Wire.whole(bytes, "CollectionReq", CollectionReq::decode);
  }

  @Override
  public void encode(WireWriter w) {
    query.encode(w);
    w.opaque32(aggregationParameter);
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionReq x
        && x.query.equals(query)
        && Arrays.equals(x.aggregationParameter, aggregationParameter);
  }

  @Override
  public int hashCode() {
    return query.hashCode() * 31 + Wire.hash(aggregationParameter);
  }

  @Override
  public String toString() {
    return "CollectionReq[query=" + query + ", aggregationParameter=" + Wire.show(aggregationParameter) + "]";
  }
}
