package io.janus.collector;

import io.janus.messages.CollectionJobId;
import io.janus.messages.Query;
import java.net.URI;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A collection job on the Leader: its ID, where it lives and the request it was created with. Everything a
 * collector needs to poll or delete the job later, in this process or another.
 *
 * <p>In DAP-09 the Collector chooses the ID and the job lives at the path the draft derives from it. In DAP-18 the
 * Leader chooses it and names the job's URL in the creation response's {@code Location} (draft-ietf-ppm-dap-18
 * sections 3.2 and 4.6.1); the collector keeps that URL and the ID it ends with.
 *
 * @param id the collection job ID (the last segment of the job's URL)
 * @param query the batch asked for
 * @param aggregationParameter the encoded VDAF aggregation parameter (empty for Prio3)
 * @param location the job's URL as the Leader named it (DAP-18); empty when it is derived from the ID (DAP-09)
 */
public record CollectionJob(CollectionJobId id, Query query, byte[] aggregationParameter, Optional<URI> location) {
  /** Rejects null components and copies the parameter. */
  public CollectionJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(location, "location");
    aggregationParameter = aggregationParameter.clone();
  }

  /** A job whose URL follows from its Collector-chosen ID (DAP-09). */
  public CollectionJob(CollectionJobId id, Query query, byte[] aggregationParameter) {
    this(id, query, aggregationParameter, Optional.empty());
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionJob j && j.id.equals(id) && j.query.equals(query)
        && Arrays.equals(j.aggregationParameter, aggregationParameter) && j.location.equals(location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, query, Arrays.hashCode(aggregationParameter), location);
  }

  @Override
  public String toString() {
    return "CollectionJob[id=" + id.toBase64Url() + ", query=" + query + ", aggregationParameter="
        + HexFormat.of().formatHex(aggregationParameter) + location.map(l -> ", location=" + l).orElse("") + "]";
  }
}
