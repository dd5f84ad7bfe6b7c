package io.janus.server.job;

import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.BatchId;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.util.Optional;

/**
 * The Leader's bookkeeping on sharded batch aggregations that the job creator and both job drivers share: which
 * batch a report belongs to, and moving a batch's aggregation-job counters.
 *
 * <p>A time-interval task's batches are its time-precision buckets (a collection's interval is a union of them); a
 * fixed-size task's batch is the one its aggregation job was created for. The collection job driver waits until,
 * summed over a batch's shards, every created aggregation job has terminated: the creator increments
 * {@code aggregation_jobs_created} for each batch a new job touches, and the aggregation job driver increments
 * {@code aggregation_jobs_terminated} for the same batches when the job finishes or is abandoned.
 */
public final class BatchShards {
  private BatchShards() {}

  /**
   * The batch a report of {@code task} at {@code time} falls in.
   *
   * @param batchId the job's batch, for fixed-size tasks (ignored for time-interval tasks)
   * @throws IllegalArgumentException if a fixed-size task's job has no batch ID
   */
  public static BatchIdentifier batchFor(Task task, Time time, Optional<BatchId> batchId) {
    return switch (task.queryType()) {
      case QueryType.TimeInterval t ->
          new BatchIdentifier.TimeInterval(new Interval(time.truncateTo(task.timePrecision()), task.timePrecision()));
      case QueryType.FixedSize f -> new BatchIdentifier.FixedSize(batchId.orElseThrow(
          () -> new IllegalArgumentException("a fixed-size task's aggregation job needs a batch ID")));
    };
  }

  /**
   * Reads shard {@code ord} of a batch, or a fresh empty one if it does not exist yet; write it back with
   * {@link #write}.
   */
  public static BatchAggregation read(Tx tx, TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter,
      int ord) {
    return tx.batchAggregations().get(taskId, batch, aggregationParameter, ord)
        .orElseGet(() -> BatchAggregation.empty(taskId, batch, aggregationParameter, ord));
  }

  /**
   * Writes a shard read with {@link #read}: updates it if it exists, inserts it otherwise. A concurrent insert of
   * the same shard makes PostgreSQL fail the transaction with a serialization error, and
   * {@link io.janus.server.datastore.Datastore#run} reruns it.
   */
  public static void write(Tx tx, BatchAggregation shard) {
    if (!tx.batchAggregations().update(shard) && !tx.batchAggregations().put(shard)) {
      throw new IllegalStateException("batch aggregation shard " + shard + " vanished between update and insert");
    }
  }

  /** Adds {@code created} and {@code terminated} to the job counters of shard {@code ord} of a batch. */
  public static void addJobCounts(Tx tx, TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter, int ord,
      long created, long terminated) {
    write(tx, read(tx, taskId, batch, aggregationParameter, ord).withJobCounts(created, terminated));
  }
}
