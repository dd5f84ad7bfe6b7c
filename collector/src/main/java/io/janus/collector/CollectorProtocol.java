package io.janus.collector;

import io.janus.client.DapProtocolException;
import io.janus.core.task.DapVersion;
import io.janus.core.task.TaskAgreement;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import java.util.Optional;

/**
 * What a collector does differently in each DAP draft: the collection job resource and its media types, the
 * encodings of the request and the answer, and the HPKE labels and associated data the aggregate shares are
 * sealed under. The {@link Collector} is otherwise version-neutral; each draft implements this in its own package
 * ({@link io.janus.collector.dap09.Dap09CollectorProtocol}, {@link io.janus.collector.dap18.Dap18CollectorProtocol})
 * and registers in {@link #of}. A protocol may be bound to one task (DAP-18's AAD binds the task's configuration).
 */
public interface CollectorProtocol {
  /**
   * A finished collection as the Leader sent it.
   *
   * @param batchId the batch collected, for a fixed-size query (empty for a time-interval query)
   * @param reportCount how many reports were aggregated
   * @param interval the smallest interval holding the reports' times
   * @param leaderShare the Leader's aggregate share, sealed to the collector
   * @param helperShare the Helper's aggregate share, sealed to the collector
   */
  record Collected(Optional<BatchId> batchId, long reportCount, Interval interval, HpkeCiphertext leaderShare,
      HpkeCiphertext helperShare) {}

  /** The draft. */
  DapVersion version();

  /**
   * Whether the Leader assigns a collection job's ID and names its URL in {@code Location} when the job is
   * created by POST to {@link #collectionJobsPath} (DAP-18); otherwise the Collector picks the ID and PUTs the job
   * to {@link #collectionJobPath} (DAP-09).
   */
  boolean leaderAssignsJobId();

  /** The path, under the Leader's endpoint, of a collection job. */
  String collectionJobPath(TaskId taskId, CollectionJobId jobId);

  /**
   * The creation path of the task's collection jobs, for a protocol whose Leader assigns IDs.
   *
   * @throws UnsupportedOperationException if {@link #leaderAssignsJobId()} is false
   */
  String collectionJobsPath(TaskId taskId);

  /** The HTTP method of a poll: {@code POST} (DAP-09) or {@code GET} (DAP-18). */
  String pollMethod();

  /**
   * What a successful poll answer means.
   *
   * @return empty if the job is not ready yet, true if the body is the finished collection
   * @throws DapProtocolException if the answer is neither (for example DAP-09's 204 for a deleted job)
   */
  Optional<Boolean> isReady(int status, byte[] body);

  /** The media type of the collection request. */
  String collectionRequestMediaType();

  /** The encoded request creating a collection job. */
  byte[] encodeCollectionRequest(Query query, byte[] aggregationParameter);

  /** The media type of a finished collection. */
  String collectionMediaType();

  /**
   * Decodes a finished collection.
   *
   * @throws DecodeException if it is malformed
   */
  Collected decodeCollection(byte[] body);

  /**
   * Checks that the Leader answered for the batch the query asked for.
   *
   * @param answered the batch ID the answer names, if it names one
   * @throws DapProtocolException if it does not
   */
  void checkBatch(Query query, Optional<BatchId> answered);

  /** The HPKE info {@code sender} sealed its aggregate share under. */
  byte[] aggregateShareInfo(Role sender);

  /**
   * The HPKE associated data of the aggregate shares of a collection of {@code query}; {@code batchId} is the batch
   * the Leader answered with (fixed-size queries).
   */
  byte[] aggregateShareAad(TaskId taskId, byte[] aggregationParameter, Query query, Optional<BatchId> batchId);

  /**
   * The protocol of a DAP-09 task.
   *
   * @throws IllegalArgumentException for a draft whose protocol needs the task's agreed parameters (DAP-18)
   */
  static CollectorProtocol of(DapVersion version) {
    return of(version, Optional.empty());
  }

  /**
   * The protocol of a task of {@code version}.
   *
   * @param agreement the task's agreed parameters; required by DAP-18 (its AAD binds them), ignored by DAP-09
   * @throws IllegalArgumentException if DAP-18 has no agreement, or cannot express it
   */
  static CollectorProtocol of(DapVersion version, Optional<TaskAgreement> agreement) {
    return switch (version) {
      case DAP_09 -> io.janus.collector.dap09.Dap09CollectorProtocol.INSTANCE;
      case DAP_18 -> new io.janus.collector.dap18.Dap18CollectorProtocol(agreement.orElseThrow(
          () -> new IllegalArgumentException("a DAP-18 collector needs the task's TaskAgreement")));
    };
  }
}
