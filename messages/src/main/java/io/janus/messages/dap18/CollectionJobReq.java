package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Collector's request creating a collection job (draft-ietf-ppm-dap-18 section 4.6.1): {@code Query query;
 * opaque agg_param<0..2^32-1>; CollectionJobExtension extensions<0..2^16-1>}. The Leader forwards it unchanged
 * inside each {@link AggregateShareReq}, and both aggregate-share AADs bind it.
 *
 * @param query the Collector's query
 * @param aggregationParameter the encoded VDAF aggregation parameter
 * @param extensions collection job extensions, in the order read (see {@link TypedExtension})
 */
public record CollectionJobReq(Query query, byte[] aggregationParameter, List<CollectionJobExtension> extensions)
    implements Encodable {
  /** The request media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_COLLECTION_JOB_REQ;

  /** Rejects a null query; copies the parameter and the list. */
  public CollectionJobReq {
    Objects.requireNonNull(query, "query");
    aggregationParameter = aggregationParameter.clone();
    extensions = Wire.extensionList(extensions, "CollectionJobReq.extensions");
  }

  /** Reads a {@code CollectionJobReq}. */
  public static CollectionJobReq decode(WireReader r) {
    Query query = Query.decode(r);
    byte[] param = r.opaque32("CollectionJobReq.agg_param");
    List<CollectionJobExtension> extensions = Wire.items(r.vector16("CollectionJobReq.extensions"),
        "CollectionJobReq.extensions", CollectionJobExtension::decode);
    return new CollectionJobReq(query, param, extensions);
  }

  /** Decodes a whole request body. */
  public static CollectionJobReq decode(byte[] bytes) {
    return Wire.whole(bytes, "CollectionJobReq", CollectionJobReq::decode);
  }

  @Override
  public void encode(WireWriter w) {
    query.encode(w);
    w.opaque32(aggregationParameter);
    Wire.writeItems16(w, extensions);
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionJobReq x
        && x.query.equals(query)
        && Arrays.equals(x.aggregationParameter, aggregationParameter)
        && x.extensions.equals(extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(query, Wire.hash(aggregationParameter), extensions);
  }

  @Override
  public String toString() {
    return "CollectionJobReq[query=" + query + ", aggregationParameter=" + Wire.show(aggregationParameter)
        + ", extensions=" + extensions + "]";
  }
}
