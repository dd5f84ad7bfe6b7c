package io.janus.server.datastore;

/** A transaction kept hitting serialization failures or deadlocks and was retried as often as allowed. */
public final class TooManyRetriesException extends DatastoreException {
  /** Creates the exception, keeping the last retryable failure as the cause. */
  public TooManyRetriesException(String txName, int retries, Throwable lastFailure) {
    super("transaction " + txName + " gave up after " + retries + " retries", lastFailure);
  }
}
