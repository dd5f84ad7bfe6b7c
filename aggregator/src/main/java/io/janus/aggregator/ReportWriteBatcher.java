package io.janus.aggregator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Groups concurrent writes into batches so that many uploads share one database transaction (Janus's report write
 * batcher). A batch is written when it holds {@code maxBatchSize} items or when {@code maxDelayMillis} have passed
 * since its first item arrived, whichever comes first.
 *
 * <p>Each {@link #submit} completes only once the batch holding its item has been written: with that item's
 * result, or exceptionally with the batch's failure. Batches are written on their own virtual threads, so the
 * collector keeps gathering the next batch while one is being committed.
 *
 * @param <T> what is written
 * @param <R> the per-item outcome the writer reports
 */
public final class ReportWriteBatcher<T, R> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReportWriteBatcher.class.getName());

  private record Pending<T, R>(T item, CompletableFuture<R> result) {}

  private final Function<List<T>, List<R>> writer;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
  private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread collector;
  private final ReentrantLock lifecycle = new ReentrantLock();
  private volatile boolean closed;

  /**
   * Starts the batcher's collector thread.
   *
   * @param name names the collector thread, for thread dumps
   * @param maxBatchSize the most items written in one call of {@code writer}; at least 1
   * @param maxDelayMillis how long the first item of a batch may wait for company; at least 0
   * @param writer writes one batch and returns one outcome per item, in order; it throws to fail the whole batch
   */
  public ReportWriteBatcher(String name, int maxBatchSize, long maxDelayMillis, Function<List<T>, List<R>> writer) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1, got " + maxBatchSize);
    }
    if (maxDelayMillis < 0) {
      throw new IllegalArgumentException("maxDelayMillis must not be negative, got " + maxDelayMillis);
    }
    this.writer = writer;
    this.maxBatchSize = maxBatchSize;
    this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
    this.collector = Thread.ofPlatform().daemon().name(name).start(this::collect);
  }

  /**
   * Queues {@code item} for the next batch. The future completes when the batch is written.
   *
   * @throws IllegalStateException if the batcher is closed
   */
  public CompletableFuture<R> submit(T item) {
    CompletableFuture<R> result = new CompletableFuture<>();
    lifecycle.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the report write batcher is closed");
      }
      queue.add(new Pending<>(item, result));
    } finally {
      lifecycle.unlock();
    }
    return result;
  }

  private void collect() {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatchSize);
    try {
      while (true) {
        Pending<T, R> first = queue.take();
        batch.add(first);
        long deadline = System.nanoTime() + maxDelayNanos;
        while (batch.size() < maxBatchSize) {
          long wait = deadline - System.nanoTime();
          Pending<T, R> next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        List<Pending<T, R>> toWrite = List.copyOf(batch);
        batch.clear();
        writers.execute(() -> write(toWrite));
      }
    } catch (InterruptedException e) {
      // close(): write what was gathered and whatever is still queued, then stop.
      queue.drainTo(batch);
      for (int i = 0; i < batch.size(); i += maxBatchSize) {
        List<Pending<T, R>> part = List.copyOf(batch.subList(i, Math.min(batch.size(), i + maxBatchSize)));
        writers.execute(() -> write(part));
      }
    }
  }

  private void write(List<Pending<T, R>> batch) {
    List<T> items = new ArrayList<>(batch.size());
    for (Pending<T, R> p : batch) {
      items.add(p.item());
    }
    List<R> results;
    try {
      results = writer.apply(items);
      if (results.size() != items.size()) {
        throw new IllegalStateException("writer returned " + results.size() + " results for " + items.size()
            + " items");
      }
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, "writing a batch of " + items.size() + " reports failed", e);
      for (Pending<T, R> p : batch) {
        p.result().completeExceptionally(e);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(results.get(i));
    }
  }

  /** Stops accepting items, writes everything already queued and waits for all writes to finish. */
  @Override
  public void close() {
    lifecycle.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lifecycle.unlock();
    }
    collector.interrupt();
    try {
      collector.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.close();
  }
}
