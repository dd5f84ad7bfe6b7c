package io.janus.server.datastore.model;

import io.janus.messages.CollectionJobId;
import io.janus.messages.TaskId;
import java.util.Arrays;

/**
 * A collector's request for the aggregate of one batch (Leader side).
 *
 * @param taskId the task
 * @param id the collection job ID
 * @param queryKind which kind of query the collector sent
 * @param aggregationParameter the encoded aggregation parameter
 * @param batchIdentifier the batch the query resolved to
 * @param state the job's state and, once finished, its result
 */
public record CollectionJob(
    TaskId taskId,
    CollectionJobId id,
    CollectionQueryKind queryKind,
    byte[] aggregationParameter,
    BatchIdentifier batchIdentifier,
    CollectionJobState state) {

  /** Checks that the query kind fits the batch identifier, and copies the parameter. */
  public CollectionJob {
    boolean timeInterval = batchIdentifier instanceof BatchIdentifier.TimeInterval;
    if (timeInterval != (queryKind == CollectionQueryKind.TIME_INTERVAL)) {
      throw new IllegalArgumentException("query kind " + queryKind + " does not fit batch " + batchIdentifier);
    }
    aggregationParameter = aggregationParameter.clone();
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  /** This job in another state. */
  public CollectionJob withState(CollectionJobState s) {
    return new CollectionJob(taskId, id, queryKind, aggregationParameter, batchIdentifier, s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionJob j
        && j.taskId.equals(taskId)
        && j.id.equals(id)
        && j.queryKind == queryKind
        && Arrays.equals(j.aggregationParameter, aggregationParameter)
        && j.batchIdentifier.equals(batchIdentifier)
        && j.state.equals(state);
  }

  @Override
  public int hashCode() {
    return taskId.hashCode() * 31 + id.hashCode();
  }

  @Override
  public String toString() {
    return "CollectionJob[task=" + taskId + ", id=" + id + ", query=" + queryKind + ", batch=" + batchIdentifier
        + ", state=" + state + "]";
  }
}
