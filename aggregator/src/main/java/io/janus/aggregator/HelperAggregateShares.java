package io.janus.aggregator;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.auth.AuthenticationToken;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.AggregateShareJob;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchAggregationState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.core.hpke.Hpke;
import io.janus.core.task.QueryType;
import io.janus.core.task.ReportIdChecksum;
import io.janus.core.task.Task;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.vdaf.VdafException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Helper's aggregate-share endpoint (draft-ietf-ppm-dap-09 section 4.6.2): validates the batch, merges the
 * batch aggregation shards, checks the Leader's count and checksum, and seals the share to the Collector.
 *
 * <p>Identical requests get the same aggregate share (re-sealed) and count once against
 * {@code max_batch_query_count}.
 */
final class HelperAggregateShares {
  private final Datastore datastore;
  private final TaskVdafs vdafs;

  HelperAggregateShares(Datastore datastore, TaskVdafs vdafs) {
    this.datastore = datastore;
    this.vdafs = vdafs;
  }

  HpkeCiphertext aggregateShare(ProtocolVersion version, TaskId taskId, Optional<AuthenticationToken> auth,
      AggregateShareRequest request) {
    return datastore.run("aggregate_share", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.HELPER, version);
      TaskAccess.authorizeLeader(task, auth);
      boolean fixedSize = task.queryType() instanceof QueryType.FixedSize;
      if (fixedSize != (request.batch() instanceof BatchSelector.FixedSize)) {
        throw new DapException.InvalidMessage(taskId, "The batch selector's query type does not match the task's.");
      }
      byte[] aggParam = request.aggregationParameter();
      BatchIdentifier bid = identifier(request.batch());
      byte[] aad = version.aggregateShareAad(task, aggParam, request.batch());
      byte[] info = version.aggregateShareInfo(Role.HELPER);

      Optional<AggregateShareJob> existing = tx.aggregateShareJobs().get(taskId, bid, aggParam);
      if (existing.isPresent()) {
        AggregateShareJob job = existing.get();
        checkMatches(taskId, request, job.reportCount(), ReportIdChecksum.decode(job.checksum()));
        return Hpke.seal(task.collectorHpkeConfig(), info, aad, job.helperAggregateShare());
      }

      List<BatchAggregation> shards = shards(tx, task, request.batch(), bid, aggParam);
      checkBoundary(task, request.batch(), shards);
      PingPongVdaf vdaf = vdafs.of(task);
      byte[] share = vdaf.emptyAggregateShare(aggParam);
      long count = 0;
      ReportIdChecksum checksum = ReportIdChecksum.empty();
      for (BatchAggregation b : shards) {
        if (b.aggregateShare().isPresent()) {
          try {
            share = vdaf.merge(aggParam, share, b.aggregateShare().get());
          } catch (VdafException e) {
            throw new IllegalStateException("stored aggregate share does not decode", e);
          }
        }
        count += b.reportCount();
        checksum = checksum.combinedWith(ReportIdChecksum.decode(b.checksum()));
      }
      checkSize(task, count);
      checkQueries(tx, task, request.batch(), bid);
      checkMatches(taskId, request, count, checksum);

      // From now on reports of this batch are rejected as batch_collected (see HelperAggregator.isCollected).
      for (BatchAggregation b : shards) {
        tx.batchAggregations().update(b.withState(BatchAggregationState.COLLECTED));
      }
      tx.aggregateShareJobs().put(new AggregateShareJob(taskId, bid, aggParam, share, count, checksum.encode()));
      return Hpke.seal(task.collectorHpkeConfig(), info, aad, share);
    });
  }

  /** The stored identifier of a batch. */
  static BatchIdentifier identifier(BatchSelector batch) {
    return switch (batch) {
      case BatchSelector.TimeInterval t -> new BatchIdentifier.TimeInterval(t.interval());
      case BatchSelector.FixedSize f -> new BatchIdentifier.FixedSize(f.batchId());
    };
  }

  /**
   * The boundary check of draft 09 section 4.6.5: a time interval aligned to the time precision and at least one
   * unit long, or a batch ID the Leader used in an aggregation job.
   */
  private static void checkBoundary(Task task, BatchSelector batch, List<BatchAggregation> shards) {
    switch (batch) {
      case BatchSelector.TimeInterval t -> checkTimeBoundary(task, t.interval());
      case BatchSelector.FixedSize f -> {
        // A batch ID the Leader used in an aggregation job has at least one shard.
        if (shards.isEmpty()) {
          throw new DapException.BatchInvalid(task.id(), "The batch ID is not known.");
        }
      }
    }
  }

  /**
   * Checks a time-interval batch's boundaries.
   *
   * @throws DapException.BatchInvalid unless the interval is at least one time precision long and both its start
   *     and duration are multiples of the time precision
   */
  static void checkTimeBoundary(Task task, Interval interval) {
    long precision = task.timePrecision().seconds();
    long start = interval.start().seconds();
    long duration = interval.duration().seconds();
    if (duration < precision || start % precision != 0 || duration % precision != 0) {
      throw new DapException.BatchInvalid(task.id(),
          "The batch interval must be a whole number of time precisions, aligned to the time precision.");
    }
  }

  private static List<BatchAggregation> shards(Tx tx, Task task, BatchSelector batch, BatchIdentifier bid,
      byte[] aggParam) {
    return switch (batch) {
      case BatchSelector.TimeInterval t -> tx.batchAggregations().getAllInInterval(task.id(), t.interval(), aggParam);
      case BatchSelector.FixedSize f -> tx.batchAggregations().getAll(task.id(), bid, aggParam);
    };
  }

  /**
   * The size check: at least {@code min_batch_size} reports, and for fixed-size tasks at most
   * {@code max_batch_size}.
   */
  private static void checkSize(Task task, long count) {
    boolean tooMany = task.queryType() instanceof QueryType.FixedSize f && f.maxBatchSize().isPresent()
        && count > f.maxBatchSize().getAsLong();
    if (count < task.minBatchSize() || tooMany) {
      throw new DapException.InvalidBatchSize(task.id(), count);
    }
  }

  /**
   * The query-count and overlap checks against earlier aggregate-share requests: a batch may be collected with at
   * most {@code max_batch_query_count} distinct aggregation parameters, and a time-interval batch must not
   * partly overlap an earlier one.
   */
  private static void checkQueries(Tx tx, Task task, BatchSelector batch, BatchIdentifier bid) {
    // Called only when no job exists for this parameter, so every earlier parameter is a different one.
    long earlierParams = switch (batch) {
      case BatchSelector.TimeInterval t -> {
        Set<String> params = new HashSet<>();
        for (AggregateShareJob j : tx.aggregateShareJobs().findOverlapping(task.id(), t.interval())) {
          if (!j.batchIdentifier().equals(bid)) {
            throw new DapException.BatchOverlap(task.id());
          }
          params.add(HexFormat.of().formatHex(j.aggregationParameter()));
        }
        yield params.size();
      }
      case BatchSelector.FixedSize f -> tx.aggregateShareJobs().countAggregationParameters(task.id(), bid);
    };
    if (earlierParams >= task.maxBatchQueryCount()) {
      throw new DapException.BatchQueriedTooManyTimes(task.id());
    }
  }

  /**
   * The aggregate share the Helper already computed for {@code batch} under {@code aggregationParameter}, sealed to
   * the Collector again (a GET on DAP-18's aggregate share resource).
   *
   * @throws DapException.UnrecognizedAggregateShare if no share was computed for them
   */
  HpkeCiphertext storedShare(ProtocolVersion version, TaskId taskId, Optional<AuthenticationToken> auth,
      BatchSelector batch, byte[] aggregationParameter) {
    return datastore.run("aggregate_share_get", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.HELPER, version);
      TaskAccess.authorizeLeader(task, auth);
      AggregateShareJob job = tx.aggregateShareJobs().get(taskId, identifier(batch), aggregationParameter)
          .orElseThrow(() -> new DapException.UnrecognizedAggregateShare(taskId));
      return Hpke.seal(task.collectorHpkeConfig(), version.aggregateShareInfo(Role.HELPER),
          version.aggregateShareAad(task, aggregationParameter, batch), job.helperAggregateShare());
    });
  }

  private static void checkMatches(TaskId taskId, AggregateShareRequest request, long count,
      ReportIdChecksum checksum) {
    if (request.reportCount() != count || !ReportIdChecksum.decode(request.checksum()).equals(checksum)) {
      throw new DapException.BatchMismatch(taskId, "The Leader aggregated " + request.reportCount()
          + " reports, the Helper " + count + (request.reportCount() == count ? ", with different checksums." : "."));
    }
  }
}
