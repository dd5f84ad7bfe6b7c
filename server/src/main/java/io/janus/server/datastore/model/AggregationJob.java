package io.janus.server.datastore.model;

import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import java.util.Arrays;
import java.util.Optional;

/**
 * An aggregation job: a set of reports prepared together under one aggregation parameter.
 *
 * @param taskId the task
 * @param id the job ID
 * @param aggregationParameter the encoded VDAF aggregation parameter (empty for Prio3)
 * @param batchId the fixed-size batch the job fills, for fixed-size tasks
 * @param clientTimestampInterval the smallest interval holding every report's timestamp
 * @param state the job's state
 * @param step the preparation step reached (starts at 0)
 * @param lastRequestHash Helper: SHA-256 of the last request, to recognise a repeated request
 */
public record AggregationJob(
    TaskId taskId,
    AggregationJobId id,
    byte[] aggregationParameter,
    Optional<BatchId> batchId,
    Interval clientTimestampInterval,
    AggregationJobState state,
    int step,
    Optional<byte[]> lastRequestHash) {

  /** Validates the step and copies the arrays. */
  public AggregationJob {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative");
    }
    aggregationParameter = aggregationParameter.clone();
    lastRequestHash = Bytes.copy(lastRequestHash);
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public Optional<byte[]> lastRequestHash() {
    return Bytes.copy(lastRequestHash);
  }

  /** This job in another state. */
  public AggregationJob withState(AggregationJobState s) {
    return new AggregationJob(taskId, id, aggregationParameter, batchId, clientTimestampInterval, s, step,
        lastRequestHash);
  }

  /** This job at another step. */
  public AggregationJob withStep(int s) {
    return new AggregationJob(taskId, id, aggregationParameter, batchId, clientTimestampInterval, state, s,
        lastRequestHash);
  }

  /** This job with the hash of the request just answered. */
  public AggregationJob withLastRequestHash(byte[] hash) {
    return new AggregationJob(taskId, id, aggregationParameter, batchId, clientTimestampInterval, state, step,
        Optional.of(hash));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregationJob j
        && j.taskId.equals(taskId)
        && j.id.equals(id)
        && Arrays.equals(j.aggregationParameter, aggregationParameter)
        && j.batchId.equals(batchId)
        && j.clientTimestampInterval.equals(clientTimestampInterval)
        && j.state == state
        && j.step == step
        && Bytes.equal(j.lastRequestHash, lastRequestHash);
  }

  @Override
  public int hashCode() {
    return taskId.hashCode() * 31 + id.hashCode();
  }

  @Override
  public String toString() {
    return "AggregationJob[task=" + taskId + ", id=" + id + ", batch=" + batchId + ", interval="
        + clientTimestampInterval + ", state=" + state + ", step=" + step + "]";
  }
}
