package io.janus.server.datastore;

import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The garbage collector's bounded deletes. Most tables' {@code deleteExpired} statement takes the same three
 * parameters in the same order: the task ID, the threshold in seconds since the epoch and the most rows to delete.
 */
final class ExpiredRows {
  private ExpiredRows() {}

  /**
   * Runs a {@code deleteExpired} statement whose parameters are (task_id, threshold, limit).
   *
   * @param method the table method, for the error, for example "ClientReportsTable.deleteExpired"
   * @return how many rows were deleted
   */
  static int delete(Tx tx, String method, String sql, TaskId taskId, Time threshold, int limit) {
    try (PreparedStatement ps = tx.prepare(sql)) {
      ps.setBytes(1, taskId.bytes());
      ps.setLong(2, threshold.seconds());
      ps.setInt(3, limit);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw tx.fail(method, e);
    }
  }
}
