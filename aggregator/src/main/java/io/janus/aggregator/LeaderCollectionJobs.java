package io.janus.aggregator;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationToken;
import io.janus.messages.Query;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.CollectionQueryKind;
import io.janus.server.datastore.model.OutstandingBatch;
import io.janus.core.hpke.Hpke;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapProblemType;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Leader's collection-job endpoints (draft-ietf-ppm-dap-09 section 4.6.1): create with query validation, poll
 * and delete. Running the job is the collection job driver's work; a poll only reports what it stored.
 */
final class LeaderCollectionJobs {
  private final Datastore datastore;
  private final TaskVdafs vdafs;
  private final Clock clock;
  private final long pollRetryAfterSeconds;

  LeaderCollectionJobs(Datastore datastore, TaskVdafs vdafs, Clock clock,
      long pollRetryAfterSeconds) {
    this.clock = clock;
    this.pollRetryAfterSeconds = pollRetryAfterSeconds;
    this.datastore = datastore;
    this.vdafs = vdafs;
  }

  void create(ProtocolVersion version, TaskId taskId, CollectionJobId jobId, Optional<AuthenticationToken> auth,
      CollectionRequest request) {
    datastore.run("create_collection_job", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.LEADER, version);
      TaskAccess.authorizeCollector(task, auth);
      boolean fixedSize = task.queryType() instanceof QueryType.FixedSize;
      if (fixedSize != request.query().isFixedSize()) {
        throw new DapException.InvalidMessage(taskId, "The query type does not match the task's.");
      }
      byte[] aggParam = request.aggregationParameter();
      if (!vdafs.of(task).isValidAggregationParameter(aggParam, List.of())) {
        throw new DapException.InvalidAggregationParameter(taskId,
            "The aggregation parameter is not valid for the task's VDAF.");
      }
      CollectionQueryKind kind = switch (request.query()) {
        case Query.TimeInterval t -> CollectionQueryKind.TIME_INTERVAL;
        case Query.FixedSizeByBatchId b -> CollectionQueryKind.BY_BATCH_ID;
        case Query.FixedSizeCurrentBatch c -> CollectionQueryKind.CURRENT_BATCH;
      };
      Optional<CollectionJob> existing = tx.collectionJobs().get(taskId, jobId);
      if (existing.isPresent()) {
        CollectionJob job = existing.get();
        boolean sameBatch = request.query() instanceof Query.FixedSizeCurrentBatch
            || job.batchIdentifier().equals(requestedBatch(request.query()));
        if (job.queryKind() != kind || !Arrays.equals(job.aggregationParameter(), aggParam) || !sameBatch) {
          throw new DapException.ForbiddenMutation(taskId, "The collection job already exists with another query.");
        }
        return null;
      }
      BatchIdentifier bid = switch (request.query()) {
        case Query.TimeInterval t -> {
          HelperAggregateShares.checkTimeBoundary(task, t.batchInterval());
          yield new BatchIdentifier.TimeInterval(t.batchInterval());
        }
        case Query.FixedSizeByBatchId b -> {
          BatchIdentifier id = new BatchIdentifier.FixedSize(b.batchId());
          // Draft 09 section 4.6.5.2.1: only a batch ID the Leader returned in an earlier collection (under any
          // aggregation parameter); a batch still filling is not one.
          if (!tx.collectionJobs().anyFinishedForBatch(taskId, id)) {
            throw new DapException.BatchInvalid(taskId, "The batch ID was not returned by an earlier collection.");
          }
          yield id;
        }
        case Query.FixedSizeCurrentBatch c -> new BatchIdentifier.FixedSize(currentBatch(tx, task)
            .orElseThrow(() -> new DapException.BatchInvalid(taskId, "No batch is ready for collection.")));
      };
      checkQueries(tx, task, bid, aggParam);
      tx.collectionJobs().put(new CollectionJob(taskId, jobId, kind, aggParam, bid, new CollectionJobState.Start()));
      return null;
    });
  }

  /**
   * Takes an outstanding batch (filled or still filling, in any time bucket) that holds at least
   * {@code min_batch_size} finished reports out of the outstanding set, so no later job adds to it and no other
   * {@code current_batch} query gets it.
   */
  private static Optional<BatchId> currentBatch(Tx tx, Task task) {
    return tx.outstandingBatches().acquireReady(task.id(), task.minBatchSize()).map(OutstandingBatch::batchId);
  }

  /** The identifier a query names; only for queries that name their batch. */
  private static BatchIdentifier requestedBatch(Query query) {
    return switch (query) {
      case Query.TimeInterval t -> new BatchIdentifier.TimeInterval(t.batchInterval());
      case Query.FixedSizeByBatchId b -> new BatchIdentifier.FixedSize(b.batchId());
      case Query.FixedSizeCurrentBatch c -> throw new IllegalArgumentException("current_batch names no batch");
    };
  }

  /**
   * The query-count and overlap checks of draft 09 section 4.6.5 against earlier collection jobs. Deleted jobs
   * count too: their result may already have reached the Collector.
   */
  private static void checkQueries(Tx tx, Task task, BatchIdentifier bid, byte[] aggParam) {
    long otherParams = switch (bid) {
      case BatchIdentifier.TimeInterval t -> {
        Set<String> params = new HashSet<>();
        for (CollectionJob j : tx.collectionJobs().findOverlapping(task.id(), t.batchInterval())) {
          if (!j.batchIdentifier().equals(bid)) {
            throw new DapException.BatchOverlap(task.id());
          }
          params.add(HexFormat.of().formatHex(j.aggregationParameter()));
        }
        params.remove(HexFormat.of().formatHex(aggParam));
        yield params.size();
      }
      case BatchIdentifier.FixedSize f -> {
        long params = tx.collectionJobs().countAggregationParameters(task.id(), bid);
        // Querying again with a parameter already counted is not another query.
        boolean seen = tx.collectionJobs().getForBatch(task.id(), bid, aggParam).stream()
            .anyMatch(j -> !(j.state() instanceof CollectionJobState.Abandoned));
        yield seen ? params - 1 : params;
      }
    };
    if (otherParams >= task.maxBatchQueryCount()) {
      throw new DapException.BatchQueriedTooManyTimes(task.id());
    }
  }

  CollectionJobStatus poll(ProtocolVersion version, TaskId taskId, CollectionJobId jobId,
      Optional<AuthenticationToken> auth) {
    return datastore.run("get_collection_job", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.LEADER, version);
      TaskAccess.authorizeCollector(task, auth);
      CollectionJob job = tx.collectionJobs().get(taskId, jobId)
          .orElseThrow(() -> new DapException.UnrecognizedCollectionJob(taskId, jobId));
      return switch (job.state()) {
        case CollectionJobState.Start s -> pending(tx, taskId, jobId);
        case CollectionJobState.Collecting c -> pending(tx, taskId, jobId);
        case CollectionJobState.Deleted d -> new CollectionJobStatus.Deleted();
        case CollectionJobState.Abandoned a -> throw new DapException.AbandonedCollectionJob(taskId, jobId,
            a.reason());
        case CollectionJobState.Failed f -> throw DapProblemType.fromErrorName(f.problemType())
            .<DapException>map(type -> new DapException.FailedCollectionJob(taskId, type, f.detail()))
            .orElseGet(() -> new DapException.AbandonedCollectionJob(taskId, jobId, f.detail()));
        case CollectionJobState.Finished f -> finished(version, task, job, f);
      };
    });
  }

  /**
   * A pending answer whose {@code Retry-After} is the job's next attempt when a failed attempt scheduled one (a
   * poll before then cannot find anything new), else the configured interval.
   */
  private CollectionJobStatus pending(Tx tx, TaskId taskId, CollectionJobId jobId) {
    java.util.OptionalLong next = tx.collectionJobs().nextAttemptMillis(taskId, jobId);
    if (next.isEmpty()) {
      return new CollectionJobStatus.Pending(pollRetryAfterSeconds);
    }
    long waitMillis = next.getAsLong() - clock.nowMillis();
    // Rounded up, plus a second for the driver to finish the attempt it then makes.
    return new CollectionJobStatus.Pending(Math.max(1, (waitMillis + 999) / 1000 + 1));
  }

  private static CollectionJobStatus finished(ProtocolVersion version, Task task, CollectionJob job,
      CollectionJobState.Finished f) {
    BatchSelector selector = switch (job.batchIdentifier()) {
      case BatchIdentifier.TimeInterval t -> new BatchSelector.TimeInterval(t.batchInterval());
      case BatchIdentifier.FixedSize b -> new BatchSelector.FixedSize(b.batchId());
    };
    Optional<BatchId> batchId = selector instanceof BatchSelector.FixedSize b ? Optional.of(b.batchId())
        : Optional.empty();
    // The Leader's share is stored in the clear and sealed per poll (draft 09 section 4.6.4).
    HpkeCiphertext leaderShare = Hpke.seal(task.collectorHpkeConfig(), version.aggregateShareInfo(Role.LEADER),
        version.aggregateShareAad(task, job.aggregationParameter(), selector), f.leaderAggregateShare());
    return new CollectionJobStatus.Finished(batchId, f.reportCount(),
        aligned(f.clientTimestampInterval(), task.timePrecision()), leaderShare, f.helperEncryptedAggregateShare());
  }

  /** The smallest interval aligned to {@code precision} containing {@code interval} (draft 09 section 4.6.1). */
  static Interval aligned(Interval interval, DapDuration precision) {
    long p = precision.seconds();
    long start = interval.start().seconds() - Math.floorMod(interval.start().seconds(), p);
    long end = interval.end().seconds();
    long alignedEnd = end % p == 0 ? end : end - Math.floorMod(end, p) + p;
    return new Interval(new Time(start), DapDuration.ofSeconds(alignedEnd - start));
  }

  void delete(ProtocolVersion version, TaskId taskId, CollectionJobId jobId, Optional<AuthenticationToken> auth) {
    datastore.run("delete_collection_job", tx -> {
      Task task = TaskAccess.task(tx, taskId, Role.LEADER, version);
      TaskAccess.authorizeCollector(task, auth);
      CollectionJob job = tx.collectionJobs().get(taskId, jobId)
          .orElseThrow(() -> new DapException.UnrecognizedCollectionJob(taskId, jobId));
      if (!(job.state() instanceof CollectionJobState.Deleted)) {
        tx.collectionJobs().delete(taskId, jobId);
      }
      return null;
    });
  }
}
