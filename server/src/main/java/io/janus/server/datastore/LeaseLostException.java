package io.janus.server.datastore;

/**
 * A write to a leased job was refused because the row no longer carries the caller's lease: it expired and another
 * worker acquired the job, or the lease was released. The caller must drop its work on the job.
 */
public final class LeaseLostException extends DatastoreException {
  /** Creates the exception naming the job. */
  public LeaseLostException(String what) {
    super("lease lost on " + what);
  }
}
