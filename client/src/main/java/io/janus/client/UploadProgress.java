package io.janus.client;

/**
 * Receives progress of {@link Client#uploadAll}. Calls are made one at a time (never concurrently), after each
 * measurement finishes, from whichever worker finished it; keep the callback quick, since uploads wait for it.
 * An exception it throws is not caught: it goes to the worker thread's uncaught-exception handler and leaves the
 * {@link UploadSummary} unchanged.
 */
@FunctionalInterface
public interface UploadProgress {
  /** Ignores progress. */
  UploadProgress NONE = (succeeded, failed, total) -> {};

  /**
   * Reports that {@code succeeded + failed} of {@code total} measurements are done.
   *
   * @param succeeded measurements whose report the Leader accepted so far
   * @param failed measurements that failed so far
   * @param total measurements in the call
   */
  void update(int succeeded, int failed, int total);
}
