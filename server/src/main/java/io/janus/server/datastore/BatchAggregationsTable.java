package io.janus.server.datastore;

import io.janus.server.datastore.model.AggregationJobCounts;
import io.janus.server.datastore.model.BatchAggregation;
import io.janus.server.datastore.model.BatchAggregationState;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.DbEnum;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code batch_aggregations} table: running aggregates per (batch, aggregation parameter), sharded by
 * {@code ord}.
 *
 * <p>Merging is optimistic: read a shard with {@link #get}, merge in memory, write it back with {@link #update}.
 * Under REPEATABLE READ a concurrent write to the same shard makes the update fail with a serialization error,
 * and {@link Datastore#run} reruns the whole read-merge-write. To avoid deadlocks, a transaction touching several
 * shards should write them in (batch identifier, ord) order.
 */
public final class BatchAggregationsTable {
  private static final String COLUMNS = """
      batch_identifier, aggregation_param, ord, state, aggregate_share, report_count, checksum,
      client_timestamp_interval::text AS client_timestamp_interval, aggregation_jobs_created,
      aggregation_jobs_terminated
      """;

  private static final String BATCH = """
      task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_identifier = ? AND aggregation_param = ?""";

  private static final String GET_ALL = "-- BatchAggregationsTable.getAll\nSELECT " + COLUMNS
      + "FROM batch_aggregations WHERE " + BATCH + "\nORDER BY ord\n";

  private static final String GET = "-- BatchAggregationsTable.get\nSELECT " + COLUMNS
      + "FROM batch_aggregations WHERE " + BATCH + " AND ord = ?\n";

  private static final String GET_ALL_IN_INTERVAL = "-- BatchAggregationsTable.getAllInInterval\nSELECT " + COLUMNS
      + """
      FROM batch_aggregations
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_interval <@ ?::int8range
        AND aggregation_param = ?
      ORDER BY batch_identifier, ord
      """;

  private static final String PUT = """
      -- BatchAggregationsTable.put
      INSERT INTO batch_aggregations (task_id, batch_identifier, batch_interval, aggregation_param, ord, state,
          aggregate_share, report_count, checksum, client_timestamp_interval, aggregation_jobs_created,
          aggregation_jobs_terminated, updated_by)
      SELECT id, ?, ?::int8range, ?, ?, ?, ?, ?, ?, ?::int8range, ?, ?, ? FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, batch_identifier, aggregation_param, ord) DO NOTHING
      """;

  private static final String UPDATE = """
      -- BatchAggregationsTable.update
      UPDATE batch_aggregations
      SET state = ?, aggregate_share = ?, report_count = ?, checksum = ?, client_timestamp_interval = ?::int8range,
          aggregation_jobs_created = ?, aggregation_jobs_terminated = ?, updated_at = now(), updated_by = ?
      WHERE %s AND ord = ?
      """.formatted(BATCH);

  private static final String CREATE_MISSING_SHARDS = """
      -- BatchAggregationsTable.createMissingShards
      INSERT INTO batch_aggregations (task_id, batch_identifier, batch_interval, aggregation_param, ord, state,
          report_count, checksum, client_timestamp_interval, updated_by)
      SELECT tasks.id, ?, ?::int8range, ?, shard.ord, ?, 0, decode(repeat('00', 32), 'hex'),
          'empty'::int8range, ?
      FROM tasks, generate_series(0, ? - 1) AS shard (ord)
      WHERE tasks.task_id = ?
      ON CONFLICT (task_id, batch_identifier, aggregation_param, ord) DO NOTHING
      """;

  private static final String ADD_JOB_COUNTS = """
      -- BatchAggregationsTable.addJobCounts
      INSERT INTO batch_aggregations (task_id, batch_identifier, batch_interval, aggregation_param, ord, state,
          report_count, checksum, client_timestamp_interval, aggregation_jobs_created, aggregation_jobs_terminated,
          updated_by)
      SELECT id, ?, ?::int8range, ?, ?, 'AGGREGATING', 0, decode(repeat('00', 32), 'hex'), 'empty'::int8range, ?, ?,
          ?
      FROM tasks WHERE task_id = ?
      ON CONFLICT (task_id, batch_identifier, aggregation_param, ord) DO UPDATE SET
          aggregation_jobs_created = batch_aggregations.aggregation_jobs_created + excluded.aggregation_jobs_created,
          aggregation_jobs_terminated =
              batch_aggregations.aggregation_jobs_terminated + excluded.aggregation_jobs_terminated,
          updated_at = now(), updated_by = excluded.updated_by
      RETURNING state
      """;

  private static final String ANY_COLLECTED = """
      -- BatchAggregationsTable.anyCollected
      SELECT 1 FROM batch_aggregations
      WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?) AND batch_identifier = ? AND state <> 'AGGREGATING'
      LIMIT 1
      """;

  private static final String MARK_COLLECTED = """
      -- BatchAggregationsTable.markCollected
      UPDATE batch_aggregations SET state = 'COLLECTED', updated_at = now(), updated_by = ?
      WHERE %s AND state = 'AGGREGATING'
      """.formatted(BATCH);

  private static final String SCRUB = """
      -- BatchAggregationsTable.scrub
      UPDATE batch_aggregations SET state = 'SCRUBBED', aggregate_share = NULL, updated_at = now(), updated_by = ?
      WHERE %s
      """.formatted(BATCH);

  private static final String SUM_JOB_COUNTS = """
      -- BatchAggregationsTable.sumJobCounts
      SELECT coalesce(sum(aggregation_jobs_created), 0), coalesce(sum(aggregation_jobs_terminated), 0)
      FROM batch_aggregations WHERE %s
      """.formatted(BATCH);

  private static final String DELETE_EXPIRED = """
      -- BatchAggregationsTable.deleteExpired
      DELETE FROM batch_aggregations WHERE id IN (
          SELECT ba.id FROM batch_aggregations ba
          JOIN (SELECT batch_identifier, aggregation_param FROM batch_aggregations
                WHERE task_id = (SELECT id FROM tasks WHERE task_id = ?)
                GROUP BY batch_identifier, aggregation_param
                HAVING max(upper(coalesce(batch_interval, client_timestamp_interval))) < ?) old
            ON old.batch_identifier = ba.batch_identifier AND old.aggregation_param = ba.aggregation_param
          WHERE ba.task_id = (SELECT id FROM tasks WHERE task_id = ?)
            AND NOT EXISTS (SELECT 1 FROM aggregate_share_jobs asj
                            WHERE asj.task_id = ba.task_id AND asj.batch_identifier = ba.batch_identifier
                              AND asj.aggregation_param = ba.aggregation_param AND asj.batch_interval IS NULL)
          LIMIT ?)
      """;

  private final Tx tx;

  BatchAggregationsTable(Tx tx) {
    this.tx = tx;
  }

  /** Every shard of a batch under one aggregation parameter, ordered by ord. */
  public List<BatchAggregation> getAll(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter) {
    List<BatchAggregation> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_ALL)) {
      bindBatch(ps, 1, taskId, batch, aggregationParameter);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.getAll", e);
    }
    return out;
  }

  /** One shard. */
  public Optional<BatchAggregation> get(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter, int ord) {
    try (PreparedStatement ps = tx.prepare(GET)) {
      bindBatch(ps, 1, taskId, batch, aggregationParameter);
      ps.setInt(4, ord);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(taskId, rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.get", e);
    }
  }

  /**
   * Every shard of every time-interval batch lying inside {@code interval}, under one aggregation parameter,
   * ordered by batch and ord (a time-interval collection spans many batches of one time precision each).
   */
  public List<BatchAggregation> getAllInInterval(TaskId taskId, Interval interval, byte[] aggregationParameter) {
    List<BatchAggregation> out = new ArrayList<>();
    try (PreparedStatement ps = tx.prepare(GET_ALL_IN_INTERVAL)) {
      ps.setBytes(1, taskId.bytes());
      ps.setString(2, Sql.range(interval));
      ps.setBytes(3, aggregationParameter);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(taskId, rs));
        }
      }
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.getAllInInterval", e);
    }
    return out;
  }

  /**
   * Stores a new shard.
   *
   * @return true if stored, false if the shard already exists (read it and {@link #update} instead)
   */
  public boolean put(BatchAggregation b) {
    try (PreparedStatement ps = tx.prepare(PUT)) {
      int i = 1;
      ps.setBytes(i++, b.batchIdentifier().toBytes());
      Sql.setString(ps, i++, b.batchIdentifier().interval().map(Sql::range));
      ps.setBytes(i++, b.aggregationParameter());
      ps.setInt(i++, b.ord());
      ps.setString(i++, b.state().dbText());
      Sql.setBytes(ps, i++, b.aggregateShare());
      ps.setLong(i++, b.reportCount());
      ps.setBytes(i++, b.checksum());
      ps.setString(i++, Sql.range(b.clientTimestampInterval()));
      ps.setLong(i++, b.aggregationJobsCreated());
      ps.setLong(i++, b.aggregationJobsTerminated());
      ps.setString(i++, tx.name());
      ps.setBytes(i, b.taskId().bytes());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.put", e);
    }
  }

  /**
   * Writes a shard back after an in-memory merge (see the class comment for the concurrency contract).
   *
   * @return true if the shard exists
   */
  public boolean update(BatchAggregation b) {
    try (PreparedStatement ps = tx.prepare(UPDATE)) {
      int i = 1;
      ps.setString(i++, b.state().dbText());
      Sql.setBytes(ps, i++, b.aggregateShare());
      ps.setLong(i++, b.reportCount());
      ps.setBytes(i++, b.checksum());
      ps.setString(i++, Sql.range(b.clientTimestampInterval()));
      ps.setLong(i++, b.aggregationJobsCreated());
      ps.setLong(i++, b.aggregationJobsTerminated());
      ps.setString(i++, tx.name());
      i = bindBatch(ps, i, b.taskId(), b.batchIdentifier(), b.aggregationParameter());
      ps.setInt(i, b.ord());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.update", e);
    }
  }

  /**
   * Creates the empty shards {@code 0..shardCount-1} that do not exist yet for a batch, in the given state
   * (collection writes every shard so no late job can add to the batch unseen).
   *
   * @return how many shards were created
   */
  public int createMissingShards(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter, int shardCount,
      BatchAggregationState state) {
    try (PreparedStatement ps = tx.prepare(CREATE_MISSING_SHARDS)) {
      ps.setBytes(1, batch.toBytes());
      Sql.setString(ps, 2, batch.interval().map(Sql::range));
      ps.setBytes(3, aggregationParameter);
      ps.setString(4, state.dbText());
      ps.setString(5, tx.name());
      ps.setInt(6, shardCount);
      ps.setBytes(7, taskId.bytes());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.createMissingShards", e);
    }
  }

  /**
   * Adds to the aggregation job counters of one shard in a single statement, creating the shard (empty,
   * AGGREGATING) if missing: the job creator's and driver's bookkeeping without a read-modify-write.
   *
   * @return the shard's state after the change (a caller that finds the batch already collected must not add
   *     reports to it), or empty if the task is unknown
   */
  public Optional<BatchAggregationState> addJobCounts(TaskId taskId, BatchIdentifier batch,
      byte[] aggregationParameter, int ord, long createdDelta, long terminatedDelta) {
    try (PreparedStatement ps = tx.prepare(ADD_JOB_COUNTS)) {
      ps.setBytes(1, batch.toBytes());
      Sql.setString(ps, 2, batch.interval().map(Sql::range));
      ps.setBytes(3, aggregationParameter);
      ps.setInt(4, ord);
      ps.setLong(5, createdDelta);
      ps.setLong(6, terminatedDelta);
      ps.setString(7, tx.name());
      ps.setBytes(8, taskId.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(DbEnum.fromDbText(BatchAggregationState.class, rs.getString(1)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.addJobCounts", e);
    }
  }

  /**
   * True if any shard of the batch, under any aggregation parameter, was collected (or scrubbed): reports may no
   * longer join it.
   */
  public boolean anyCollected(TaskId taskId, BatchIdentifier batch) {
    try (PreparedStatement ps = tx.prepare(ANY_COLLECTED)) {
      ps.setBytes(1, taskId.bytes());
      ps.setBytes(2, batch.toBytes());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.anyCollected", e);
    }
  }

  /**
   * Marks every AGGREGATING shard of a batch as COLLECTED.
   *
   * @return how many shards changed
   */
  public int markCollected(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter) {
    return updateState(MARK_COLLECTED, "BatchAggregationsTable.markCollected", taskId, batch, aggregationParameter);
  }

  /**
   * Marks every shard of a batch as SCRUBBED and deletes their aggregate shares.
   *
   * @return how many shards changed
   */
  public int scrub(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter) {
    return updateState(SCRUB, "BatchAggregationsTable.scrub", taskId, batch, aggregationParameter);
  }

  /** The aggregation job counters of a batch, summed over its shards (zero if it has none). */
  public AggregationJobCounts sumJobCounts(TaskId taskId, BatchIdentifier batch, byte[] aggregationParameter) {
    try (PreparedStatement ps = tx.prepare(SUM_JOB_COUNTS)) {
      bindBatch(ps, 1, taskId, batch, aggregationParameter);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new AggregationJobCounts(rs.getLong(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.sumJobCounts", e);
    }
  }

  /**
   * Garbage collection: deletes up to {@code limit} shards of batches whose every report (or, for time-interval
   * batches, whose interval) ends before {@code threshold}. Shards of a fixed-size batch that still has an aggregate
   * share job (Helper) are kept until that job is deleted: {@link AggregateShareJobsTable#deleteExpired} reads the
   * batch's time from them, so garbage collection should delete aggregate share jobs first.
   *
   * @return how many shards were deleted
   */
  public int deleteExpired(TaskId taskId, Time threshold, int limit) {
    try (PreparedStatement ps = tx.prepare(DELETE_EXPIRED)) {
      ps.setBytes(1, taskId.bytes());
      ps.setLong(2, threshold.seconds());
      ps.setBytes(3, taskId.bytes());
      ps.setInt(4, limit);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw tx.fail("BatchAggregationsTable.deleteExpired", e);
    }
  }

  private int updateState(String sql, String name, TaskId taskId, BatchIdentifier batch, byte[] param) {
    try (PreparedStatement ps = tx.prepare(sql)) {
      ps.setString(1, tx.name());
      bindBatch(ps, 2, taskId, batch, param);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw tx.fail(name, e);
    }
  }

  private static int bindBatch(PreparedStatement ps, int i, TaskId taskId, BatchIdentifier batch, byte[] param)
      throws SQLException {
    ps.setBytes(i++, taskId.bytes());
    ps.setBytes(i++, batch.toBytes());
    ps.setBytes(i++, param);
    return i;
  }

  private static BatchAggregation row(TaskId taskId, ResultSet rs) throws SQLException {
    return new BatchAggregation(
        taskId,
        BatchIdentifier.fromBytes(rs.getBytes("batch_identifier")),
        Sql.bytes(rs, "aggregation_param"),
        rs.getInt("ord"),
        DbEnum.fromDbText(BatchAggregationState.class, rs.getString("state")),
        Sql.optionalBytes(rs, "aggregate_share"),
        rs.getLong("report_count"),
        Sql.bytes(rs, "checksum"),
        Sql.interval(rs, "client_timestamp_interval"),
        rs.getLong("aggregation_jobs_created"),
        rs.getLong("aggregation_jobs_terminated"));
  }
}
