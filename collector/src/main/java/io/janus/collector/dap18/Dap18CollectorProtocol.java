package io.janus.collector.dap18;

import io.janus.client.DapProtocolException;
import io.janus.collector.CollectorProtocol;
import io.janus.core.dap18.Dap18TaskConfigurations;
import io.janus.core.task.DapVersion;
import io.janus.core.task.TaskAgreement;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.Query;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.dap18.AggregateShareAad;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.CollectionJobResp;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Interval;
import io.janus.messages.dap18.TaskConfiguration;
import java.util.List;
import java.util.Optional;

/**
 * The collector side of draft-ietf-ppm-dap-18 (section 4.6) for one task: {@code POST
 * /tasks/{task-id}/collection_jobs} with a {@code CollectionJobReq}, the Leader's {@code Location} naming the job,
 * GET to poll (a 2xx with an empty body means not ready, section 3.1), a {@code CollectionJobResp} whose interval
 * counts time-precision units, and aggregate shares sealed under {@code AggregateShareAad} (task ID, the task's
 * {@link TaskConfiguration} and the whole {@code CollectionJobReq}). Both batch modes: a time-interval query, or a
 * leader-selected one (the neutral {@link Query.FixedSizeCurrentBatch}); draft 18 has no query by batch ID and its
 * answer names no batch. Immutable.
 */
public final class Dap18CollectorProtocol implements CollectorProtocol {
  private final TaskConfiguration configuration;
  private final DapDuration timePrecision;

  /**
   * A protocol for the task agreed as {@code agreement}.
   *
   * @throws IllegalArgumentException if DAP-18 cannot express the agreement
   */
  public Dap18CollectorProtocol(TaskAgreement agreement) {
    this.configuration = Dap18TaskConfigurations.toTaskConfiguration(agreement);
    this.timePrecision = agreement.timePrecision();
  }

  /** The task configuration bound into the aggregate shares' AAD. */
  public TaskConfiguration taskConfiguration() {
    return configuration;
  }

  @Override
  public DapVersion version() {
    return DapVersion.DAP_18;
  }

  @Override
  public boolean leaderAssignsJobId() {
    return true;
  }

  @Override
  public String collectionJobPath(TaskId taskId, CollectionJobId jobId) {
    return Dap18.collectionJobPath(taskId, jobId);
  }

  @Override
  public String collectionJobsPath(TaskId taskId) {
    return Dap18.collectionJobsPath(taskId);
  }

  @Override
  public String pollMethod() {
    return "GET";
  }

  @Override
  public Optional<Boolean> isReady(int status, byte[] body) {
    return Dap18.isNotReady(status, body) ? Optional.empty() : Optional.of(true);
  }

  @Override
  public String collectionRequestMediaType() {
    return CollectionJobReq.MEDIA_TYPE;
  }

  /**
   * The {@code CollectionJobReq}, with no collection job extensions.
   *
   * @throws IllegalArgumentException for a query by batch ID, or an interval not aligned to the time precision
   */
  @Override
  public byte[] encodeCollectionRequest(Query query, byte[] aggregationParameter) {
    return request(query, aggregationParameter).toBytes();
  }

  private CollectionJobReq request(Query query, byte[] aggregationParameter) {
    io.janus.messages.dap18.Query q = switch (query) {
      case Query.TimeInterval t ->
          new io.janus.messages.dap18.Query.TimeInterval(Interval.fromSeconds(t.batchInterval(), timePrecision));
      case Query.FixedSizeCurrentBatch c -> new io.janus.messages.dap18.Query.LeaderSelected();
      case Query.FixedSizeByBatchId b ->
          throw new IllegalArgumentException("DAP-18 has no query by batch ID (section 5.2.1)");
    };
    return new CollectionJobReq(q, aggregationParameter, List.of());
  }

  @Override
  public String collectionMediaType() {
    return CollectionJobResp.MEDIA_TYPE;
  }

  /** The answer's interval is converted from time-precision units to seconds. */
  @Override
  public Collected decodeCollection(byte[] body) {
    CollectionJobResp r = CollectionJobResp.decode(body);
    io.janus.messages.Interval interval;
    try {
      interval = r.interval().toSeconds(timePrecision);
    } catch (ArithmeticException e) {
      throw new DapProtocolException("CollectionJobResp interval overflows in seconds", e);
    }
    return new Collected(Optional.empty(), r.reportCount(), interval, r.leaderEncryptedAggregateShare(),
        r.helperEncryptedAggregateShare());
  }

  /** A draft-18 answer names no batch, for either batch mode. */
  @Override
  public void checkBatch(Query query, Optional<BatchId> answered) {
    if (answered.isPresent()) {
      throw new DapProtocolException("a DAP-18 collection names no batch, got " + answered.get());
    }
  }

  @Override
  public byte[] aggregateShareInfo(Role sender) {
    return Dap18.aggregateShareInfo(sender);
  }

  /** Section 4.6.7: the task ID, the task configuration and the request the job was created with. */
  @Override
  public byte[] aggregateShareAad(TaskId taskId, byte[] aggregationParameter, Query query,
      Optional<BatchId> batchId) {
    return new AggregateShareAad(taskId, configuration, request(query, aggregationParameter)).toBytes();
  }
}
