package io.janus.server.datastore.model;

import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import java.net.URI;
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
 * @param helperLocation Leader, DAP-18: the URL of the job's resource at the Helper, which the Helper named in
 *     {@code Location} when the job was created (without the {@code step} query); empty for DAP-09, whose Leader
 *     names the job itself, and until the Helper answered
 */
public record AggregationJob(
    TaskId taskId,
    AggregationJobId id,
    byte[] aggregationParameter,
    Optional<BatchId> batchId,
    Interval clientTimestampInterval,
    AggregationJobState state,
    int step,
    Optional<byte[]> lastRequestHash,
    Optional<URI> helperLocation) {

  /** Validates the step and copies the arrays. */
  public AggregationJob {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative");
    }
    aggregationParameter = aggregationParameter.clone();
    lastRequestHash = Bytes.copy(lastRequestHash);
    java.util.Objects.requireNonNull(helperLocation, "helperLocation");
  }

  /** A job with no Helper location: every DAP-09 job, every Helper's job, and a DAP-18 job not yet created there. */
  public AggregationJob(TaskId taskId, AggregationJobId id, byte[] aggregationParameter, Optional<BatchId> batchId,
      Interval clientTimestampInterval, AggregationJobState state, int step, Optional<byte[]> lastRequestHash) {
    this(taskId, id, aggregationParameter, batchId, clientTimestampInterval, state, step, lastRequestHash,
        Optional.empty());
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
        lastRequestHash, helperLocation);
  }

  /** This job at another step. */
  public AggregationJob withStep(int s) {
    return new AggregationJob(taskId, id, aggregationParameter, batchId, clientTimestampInterval, state, s,
        lastRequestHash, helperLocation);
  }

  /** This job with the hash of the request just answered. */
  public AggregationJob withLastRequestHash(byte[] hash) {
    return new AggregationJob(taskId, id, aggregationParameter, batchId, clientTimestampInterval, state, step,
        Optional.of(hash), helperLocation);
  }

  /** This job with the location the Helper gave its resource (Leader, DAP-18). */
  public AggregationJob withHelperLocation(URI location) {
    return new AggregationJob(taskId, id, aggregationParameter, batchId, clientTimestampInterval, state, step,
        lastRequestHash, Optional.of(location));
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
        && Bytes.equal(j.lastRequestHash, lastRequestHash)
        && j.helperLocation.equals(helperLocation);
  }

  @Override
  public int hashCode() {
    return taskId.hashCode() * 31 + id.hashCode();
  }

  @Override
  public String toString() {
    return "AggregationJob[task=" + taskId + ", id=" + id + ", batch=" + batchId + ", interval="
        + clientTimestampInterval + ", state=" + state + ", step=" + step
        + helperLocation.map(l -> ", helperLocation=" + l).orElse("") + "]";
  }
}
