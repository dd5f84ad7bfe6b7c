package io.janus.server.datastore;

import java.sql.SQLException;

/**
 * The database cannot serve the transaction now: no connection could be had, the connection broke, the server is
 * shutting down or out of resources, or the transaction kept conflicting until its retries ran out. Nothing about
 * the request is wrong, so a server answers 503 with {@code Retry-After} and the caller tries again later; the
 * binaries keep running and the pool reconnects.
 */
public class DatastoreUnavailableException extends DatastoreException {
  /** Creates the exception. */
  public DatastoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * True if {@code e} says the database, not the statement, failed: SQLSTATE class 08 (connection exception), 53
   * (insufficient resources) or 57P01–57P03 (shutdown, crash, cannot connect now), also in chained exceptions.
   */
  static boolean isUnavailable(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      if (state != null && (state.startsWith("08") || state.startsWith("53") || state.equals("57P01")
          || state.equals("57P02") || state.equals("57P03"))) {
        return true;
      }
    }
    return false;
  }
}
