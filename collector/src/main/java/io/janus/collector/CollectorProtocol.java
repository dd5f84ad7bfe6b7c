package io.janus.collector;

import io.janus.core.task.DapVersion;
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
 * ({@link io.janus.collector.dap09.Dap09CollectorProtocol}) and registers in {@link #of}.
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

  /** The path, under the Leader's endpoint, of a collection job. */
  String collectionJobPath(TaskId taskId, CollectionJobId jobId);

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

  /** The HPKE info {@code sender} sealed its aggregate share under. */
  byte[] aggregateShareInfo(Role sender);

  /**
   * The HPKE associated data of the aggregate shares of a collection of {@code query}; {@code batchId} is the batch
   * the Leader answered with (fixed-size queries).
   */
  byte[] aggregateShareAad(TaskId taskId, byte[] aggregationParameter, Query query, Optional<BatchId> batchId);

  /** The protocol of {@code version}. */
  static CollectorProtocol of(DapVersion version) {
    return switch (version) {
      case DAP_09 -> io.janus.collector.dap09.Dap09CollectorProtocol.INSTANCE;
      case DAP_18 -> throw new IllegalArgumentException("no DAP-18 collector yet");
    };
  }
}
