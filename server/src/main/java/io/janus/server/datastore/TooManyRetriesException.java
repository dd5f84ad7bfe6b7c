package io.janus.server.datastore;

/**
 * A transaction kept hitting serialization failures or deadlocks and was retried as often as allowed: the database
 * is overloaded with conflicting work, so this is a kind of unavailability (a later attempt may pass).
 */
public final class TooManyRetriesException extends DatastoreUnavailableException {
  /** Creates the exception, keeping the last retryable failure as the cause. */
  public TooManyRetriesException(String txName, int retries, Throwable lastFailure) {
    super("transaction " + txName + " gave up after " + retries + " retries", lastFailure);
  }
}
