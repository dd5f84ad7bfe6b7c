package io.janus.collectionjobdriver;

import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.core.task.Task;
import io.janus.messages.HpkeCiphertext;
import java.time.Instant;

/**
 * The Helper's aggregate-share API as the collection job driver sees it, independent of any DAP draft's wire
 * format; each draft supplies an implementation (see {@code dap09.Dap09AggregateShareHelper} and
 * {@code dap18.Dap18AggregateShareHelper}). A Helper that defers its answer (DAP-18) is polled until the deadline;
 * if the share is still not ready then, the call throws {@link io.janus.core.http.NotReadyException} and the
 * driver asks again later with the same request.
 */
public interface AggregateShareHelper {
  /**
   * Asks the Helper for its aggregate share of a batch, sealed to the collector.
   *
   * @param task the Leader's task
   * @param batch the batch collected
   * @param aggregationParameter the encoded aggregation parameter
   * @param reportCount how many reports the Leader aggregated in the batch
   * @param checksum XOR of SHA-256 of those reports' IDs (32 bytes)
   * @param deadline no attempt may start after this instant
   * @return the Helper's sealed aggregate share
   * @throws io.janus.core.http.DapRequestException if the Helper could not be reached or refused the request
   * @throws InvalidHelperResponseException if the Helper's answer does not decode
   * @throws io.janus.core.http.NotReadyException if the Helper deferred the answer beyond the deadline
   */
  HpkeCiphertext aggregateShare(Task task, BatchIdentifier batch, byte[] aggregationParameter, long reportCount,
      byte[] checksum, Instant deadline) throws InterruptedException;

  /** The Helper answered 2xx with a body that is not an aggregate share. */
  final class InvalidHelperResponseException extends RuntimeException {
    /** Creates the exception. */
    public InvalidHelperResponseException(String message) {
      super(message);
    }
  }
}
