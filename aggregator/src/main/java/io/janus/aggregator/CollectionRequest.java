package io.janus.aggregator;

import io.janus.messages.Query;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Collector's request to start a collection job, version-neutral.
 *
 * @param query which batch to collect
 * @param aggregationParameter the encoded VDAF aggregation parameter
 */
public record CollectionRequest(Query query, byte[] aggregationParameter) {
  /** Copies the parameter. */
  public CollectionRequest {
    Objects.requireNonNull(query, "query");
    aggregationParameter = aggregationParameter.clone();
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionRequest r && r.query.equals(query)
        && Arrays.equals(r.aggregationParameter, aggregationParameter);
  }

  @Override
  public int hashCode() {
    return query.hashCode() * 31 + Arrays.hashCode(aggregationParameter);
  }

  @Override
  public String toString() {
    return "CollectionRequest[" + query + "]";
  }
}
