package io.janus.server.datastore;

/** A datastore operation failed: a database error, undecryptable data, or a broken invariant. */
public class DatastoreException extends RuntimeException {
  /** Creates the exception with a message. */
  public DatastoreException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the underlying cause. */
  public DatastoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
