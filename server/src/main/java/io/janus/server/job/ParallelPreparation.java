package io.janus.server.job;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Runs the per-report CPU work of an aggregation-job step (HPKE opening, VDAF preparation) over a job's reports in
 * parallel, on one pool per process sized to the machine's cores (as Janus prepares on a rayon pool). Callers run
 * it outside any database transaction, so a transaction never waits for cryptography. The pool bounds how many
 * reports are prepared at once however many requests or job steps run concurrently.
 */
public final class ParallelPreparation {
  private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

  /** Below this many items the hand-off costs more than it saves. */
  private static final int MIN_PARALLEL = 4;

  private ParallelPreparation() {}

  /**
   * Applies {@code f} to every item and returns the results in the items' order. {@code f} must be thread-safe
   * and report failures in its result rather than by throwing; an exception it throws anyway is rethrown here.
   */
  public static <T, R> List<R> map(List<T> items, Function<T, R> f) {
    if (items.size() < MIN_PARALLEL) {
      return items.stream().map(f).toList();
    }
    return POOL.submit(() -> items.parallelStream().map(f).toList()).join();
  }
}
