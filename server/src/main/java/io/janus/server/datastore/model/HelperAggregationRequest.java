package io.janus.server.datastore.model;

import io.janus.messages.AggregationJobId;
import io.janus.messages.TaskId;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An aggregation job request the Helper accepted to do later (asynchronous mode): the initialization (step 0) or a
 * continuation (step 1 and on) of one job, in neutral form, with the failure that ended it if it failed for good.
 *
 * @param taskId the task
 * @param jobId the aggregation job
 * @param step the step the request takes the job to
 * @param requestHash SHA-256 of the request body, which tells a retry from a different request
 * @param request the neutral request, in the aggregator's own layout (never a draft's wire encoding)
 * @param failure the neutral name of the failure and its client-safe detail, once the request failed for good
 */
public record HelperAggregationRequest(TaskId taskId, AggregationJobId jobId, int step, byte[] requestHash,
    byte[] request, Optional<Failure> failure) {
  /** Copies the arrays and rejects nulls. */
  public HelperAggregationRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(failure, "failure");
    requestHash = requestHash.clone();
    request = request.clone();
  }

  @Override
  public byte[] requestHash() {
    return requestHash.clone();
  }

  @Override
  public byte[] request() {
    return request.clone();
  }

  /**
   * Why a request failed for good.
   *
   * @param kind the failure's neutral name (the aggregator's exception kind)
   * @param detail the client-safe detail
   */
  public record Failure(String kind, String detail) {
    /** Rejects nulls. */
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * A leased request: the row's lease, which guards the writes of the worker holding it.
   *
   * @param request the request
   * @param leaseToken the lease's random token
   * @param attempts how many times the request was leased, this time included
   */
  public record Leased(HelperAggregationRequest request, byte[] leaseToken, long attempts) {
    /** Copies the token. */
    public Leased {
      Objects.requireNonNull(request, "request");
      leaseToken = leaseToken.clone();
    }

    @Override
    public byte[] leaseToken() {
      return leaseToken.clone();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HelperAggregationRequest r && r.taskId.equals(taskId) && r.jobId.equals(jobId)
        && r.step == step && Arrays.equals(r.requestHash, requestHash) && Arrays.equals(r.request, request)
        && r.failure.equals(failure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, jobId, step, Arrays.hashCode(requestHash));
  }

  @Override
  public String toString() {
    return "HelperAggregationRequest[" + taskId + ", " + jobId + ", step=" + step + ", failure=" + failure + "]";
  }
}
