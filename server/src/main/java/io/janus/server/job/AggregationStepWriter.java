package io.janus.server.job;

import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchAggregationState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.PrepareResult;
import io.janus.server.datastore.model.ReportAggregation;
import io.janus.server.datastore.model.ReportAggregationState;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.core.task.ReportIdChecksum;
import io.janus.core.task.Task;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.BatchId;
import io.janus.messages.Interval;
import io.janus.vdaf.VdafException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes the results of one aggregation-job step, the same way for the Leader's aggregation job driver and for the
 * Helper: the report aggregations the step changed, and the output shares of the reports that finished, summed per
 * batch and merged into one shard of each batch aggregation.
 *
 * <p>Output shares are summed as they arrive in a decoded {@link PingPongVdaf.Accumulator}, so a job of n reports
 * costs n additions and one encoding per batch, not n decode/encode round trips. At write time a batch whose shard
 * is no longer {@code AGGREGATING} (it was collected) takes nothing: its reports fail with {@code BATCH_COLLECTED}
 * (and a stored Helper answer becomes that rejection). Batches are written in the unsigned order of their
 * identifiers, so concurrent steps lock shard rows in the same order. Not thread-safe: one writer per step.
 */
public final class AggregationStepWriter {
  /** One batch's share of the step: the running sum and which rows fed it. */
  private static final class BatchSum {
    final BatchIdentifier batch;
    final PingPongVdaf.Accumulator sum;
    ReportIdChecksum checksum = ReportIdChecksum.empty();
    Interval interval = Interval.EMPTY;
    final List<Integer> rows = new ArrayList<>();

    BatchSum(BatchIdentifier batch, PingPongVdaf.Accumulator sum) {
      this.batch = batch;
      this.sum = sum;
    }
  }

  private final Task task;
  private final PingPongVdaf vdaf;
  private final byte[] aggregationParameter;
  private final Optional<BatchId> batchId;
  private final int shard;
  private final TreeMap<byte[], BatchSum> batches = new TreeMap<>(Arrays::compareUnsigned);
  private final List<ReportAggregation> rows = new ArrayList<>();

  /**
   * Creates the writer of one step.
   *
   * @param batchId the job's batch, for fixed-size tasks
   * @param shard the batch aggregation shard this step merges into (random per step, so concurrent steps rarely
   *     write the same row)
   */
  public AggregationStepWriter(Task task, PingPongVdaf vdaf, byte[] aggregationParameter, Optional<BatchId> batchId,
      int shard) {
    this.task = task;
    this.vdaf = vdaf;
    this.aggregationParameter = aggregationParameter.clone();
    this.batchId = batchId;
    this.shard = shard;
  }

  /**
   * Records a report that finished in this step.
   *
   * @param row its report aggregation in its new state ({@code FINISHED})
   * @param outputShare its output share
   * @throws IllegalStateException if the output share does not decode (the VDAF produced it a moment ago: a bug)
   */
  public void finished(ReportAggregation row, byte[] outputShare) {
    BatchIdentifier batch = BatchShards.batchFor(task, row.time(), batchId);
    BatchSum s = batches.computeIfAbsent(batch.toBytes(),
        k -> new BatchSum(batch, vdaf.accumulator(aggregationParameter)));
    try {
      s.sum.addOutputShare(outputShare);
    } catch (VdafException e) {
      throw new IllegalStateException("an output share of task " + task.id() + " does not decode", e);
    }
    s.checksum = s.checksum.updatedWith(row.reportId());
    s.interval = s.interval.mergedWith(row.time());
    s.rows.add(rows.size());
    rows.add(row);
  }

  /** Records a report whose state changed in this step without finishing (waiting, or failed). */
  public void changed(ReportAggregation row) {
    rows.add(row);
  }

  /**
   * Writes the step inside {@code tx}: each batch's sum merged into shard {@code shard}, then the report
   * aggregations (inserted for a new job, updated otherwise), in the order they were recorded.
   *
   * @return the rows as written: those of a batch already collected fail with {@code BATCH_COLLECTED}
   */
  public List<ReportAggregation> write(Tx tx, boolean insertRows) {
    List<ReportAggregation> out = new ArrayList<>(rows);
    for (BatchSum s : batches.values()) {
      BatchAggregation stored = BatchShards.read(tx, task.id(), s.batch, aggregationParameter, shard);
      if (stored.state() != BatchAggregationState.AGGREGATING) {
        for (int i : s.rows) {
          out.set(i, collected(out.get(i)));
        }
        continue;
      }
      if (stored.aggregateShare().isPresent()) {
        try {
          s.sum.mergeAggregateShare(stored.aggregateShare().get());
        } catch (VdafException e) {
          throw new IllegalStateException("a stored aggregate share of task " + task.id() + " does not decode", e);
        }
      }
      BatchShards.write(tx, stored.withMerged(s.sum.encode(), s.rows.size(), s.checksum.encode(), s.interval));
    }
    if (insertRows) {
      tx.reportAggregations().putAll(out);
    } else {
      tx.reportAggregations().updateAll(out);
    }
    return out;
  }

  private static ReportAggregation collected(ReportAggregation row) {
    ReportAggregation failed = row.withState(new ReportAggregationState.Failed(ReportFailure.BATCH_COLLECTED));
    return row.lastPrepareResult().isPresent()
        ? failed.withLastPrepareResult(new PrepareResult.Reject(ReportFailure.BATCH_COLLECTED)) : failed;
  }
}
