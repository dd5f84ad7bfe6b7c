package io.janus.collector.dap09;

import io.janus.client.DapProtocolException;
import io.janus.collector.CollectorProtocol;
import io.janus.core.task.DapVersion;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.AggregateShareAad;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Collection;
import io.janus.messages.dap09.CollectionReq;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.PartialBatchSelector;
import java.util.Optional;

/** The collector side of draft-ietf-ppm-dap-09 (section 4.6). */
public final class Dap09CollectorProtocol implements CollectorProtocol {
  /** The one instance. */
  public static final Dap09CollectorProtocol INSTANCE = new Dap09CollectorProtocol();

  private Dap09CollectorProtocol() {}

  @Override
  public DapVersion version() {
    return DapVersion.DAP_09;
  }

  @Override
  public boolean leaderAssignsJobId() {
    return false;
  }

  @Override
  public String collectionJobPath(TaskId taskId, CollectionJobId jobId) {
    return Dap09.collectionJobPath(taskId, jobId);
  }

  @Override
  public String collectionJobsPath(TaskId taskId) {
    throw new UnsupportedOperationException("DAP-09 collection jobs are created at a Collector-chosen path");
  }

  /** Section 4.5.2: a POST polls. */
  @Override
  public String pollMethod() {
    return "POST";
  }

  /** 202 means not ready, 200 the collection; Janus answers a poll of a deleted job with 204. */
  @Override
  public Optional<Boolean> isReady(int status, byte[] body) {
    return switch (status) {
      case 202 -> Optional.empty();
      case 200 -> Optional.of(true);
      case 204 -> throw new DapProtocolException("the Leader reports the collection job as deleted (HTTP 204)");
      default -> throw new DapProtocolException("unexpected status " + status + " polling a collection job");
    };
  }

  /**
   * No batch ID for a time-interval query; a batch ID for a fixed-size one (the one named, for a query by batch
   * ID).
   */
  @Override
  public void checkBatch(Query query, Optional<BatchId> answered) {
    switch (query) {
      case Query.TimeInterval q -> {
        if (answered.isPresent()) {
          throw new DapProtocolException("time-interval query answered for batch " + answered.get());
        }
      }
      case Query.FixedSizeByBatchId q -> {
        if (answered.isEmpty()) {
          throw new DapProtocolException("fixed-size query answered without a batch ID");
        }
        if (!q.batchId().equals(answered.get())) {
          throw new DapProtocolException("asked for " + q.batchId() + ", the Leader answered for " + answered.get());
        }
      }
      case Query.FixedSizeCurrentBatch q -> {
        if (answered.isEmpty()) {
          throw new DapProtocolException("fixed-size query answered without a batch ID");
        }
      }
    }
  }

  @Override
  public String collectionRequestMediaType() {
    return CollectionReq.MEDIA_TYPE;
  }

  @Override
  public byte[] encodeCollectionRequest(Query query, byte[] aggregationParameter) {
    return new CollectionReq(io.janus.messages.dap09.Query.of(query), aggregationParameter).toBytes();
  }

  @Override
  public String collectionMediaType() {
    return Collection.MEDIA_TYPE;
  }

  @Override
  public Collected decodeCollection(byte[] body) {
    Collection c = Collection.decode(body);
    Optional<BatchId> batchId = c.partialBatchSelector() instanceof PartialBatchSelector.FixedSize f
        ? Optional.of(f.batchId()) : Optional.empty();
    return new Collected(batchId, c.reportCount(), c.interval(), c.leaderEncryptedAggregateShare(),
        c.helperEncryptedAggregateShare());
  }

  @Override
  public byte[] aggregateShareInfo(Role sender) {
    return Dap09.aggregateShareInfo(sender);
  }

  @Override
  public byte[] aggregateShareAad(TaskId taskId, byte[] aggregationParameter, Query query,
      Optional<BatchId> batchId) {
    // Section 4.5.4: the queried interval for a time-interval task, the answered batch ID for a fixed-size one.
    BatchSelector selector = switch (query) {
      case Query.TimeInterval t -> new BatchSelector.TimeInterval(t.batchInterval());
      case Query.FixedSizeByBatchId b -> new BatchSelector.FixedSize(batchId.orElse(b.batchId()));
      case Query.FixedSizeCurrentBatch c -> new BatchSelector.FixedSize(batchId.orElseThrow());
    };
    return new AggregateShareAad(taskId, aggregationParameter, selector).toBytes();
  }
}
