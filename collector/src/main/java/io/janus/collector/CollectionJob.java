package io.janus.collector;

import io.janus.messages.CollectionJobId;
import io.janus.messages.Query;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A collection job on the Leader: the Collector-chosen ID and the request it was created with. Everything a
 * collector needs to poll or delete the job later, in this process or another.
 *
 * @param id the collection job ID (in the job's URL)
 * @param query the batch asked for
 * @param aggregationParameter the encoded VDAF aggregation parameter (empty for Prio3)
 */
public record CollectionJob(CollectionJobId id, Query query, byte[] aggregationParameter) {
  /** Rejects null components and copies the parameter. */
  public CollectionJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(query, "query");
    aggregationParameter = aggregationParameter.clone();
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionJob j && j.id.equals(id) && j.query.equals(query)
        && Arrays.equals(j.aggregationParameter, aggregationParameter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, query, Arrays.hashCode(aggregationParameter));
  }

  @Override
  public String toString() {
    return "CollectionJob[id=" + id.toBase64Url() + ", query=" + query + ", aggregationParameter="
        + HexFormat.of().formatHex(aggregationParameter) + "]";
  }
}
