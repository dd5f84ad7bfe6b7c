package io.janus.aggregator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Groups concurrent writes into batches so that many uploads share one database transaction (Janus's report write
 * batcher), in the manner of a group commit: a batch is written as soon as one of {@code writeSlots} writers is
 * free, holding everything that queued up while they were busy (at most {@code maxBatchSize} items). So an upload
 * on an idle Leader is written at once, and under load the batches grow by themselves to what the database can
 * absorb; a fixed wait for company would instead put its whole length on every upload's latency whenever fewer
 * uploads are in flight than a batch holds.
 *
 * <p>{@code maxDelayMillis} bounds the wait while every writer is busy: a batch whose first item has waited that long
 * is written on a further writer. That keeps one slow transaction (a serialization retry, a lock wait) from
 * holding up the uploads queued behind it.
 *
 * <p>Each {@link #submit} completes only once the batch holding its item has been written: with that item's
 * result, or exceptionally with the batch's failure. Writes run on virtual threads.
 *
 * @param <T> what is written
 * @param <R> the per-item outcome the writer reports
 */
public final class ReportWriteBatcher<T, R> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReportWriteBatcher.class.getName());

  private record Pending<T, R>(T item, CompletableFuture<R> result, long queuedAtNanos) {}

  private final Function<List<T>, List<R>> writer;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final int writeSlots;
  private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
  private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread collector;
  /** Guards {@link #queue}, {@link #busyWriters} and {@link #closed}; {@link #changed} signals any change. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int busyWriters;
  private boolean closed;

  /**
   * Starts the batcher's collector thread.
   *
   * @param name names the collector thread, for thread dumps
   * @param maxBatchSize the most items written in one call of {@code writer}; at least 1
   * @param maxDelayMillis how long the first item of a batch may wait while every writer is busy; at least 0
   * @param writeSlots how many batches are written at once before further items wait for a writer; at least 1
   * @param writer writes one batch and returns one outcome per item, in order; it throws to fail the whole batch
   */
  public ReportWriteBatcher(String name, int maxBatchSize, long maxDelayMillis, int writeSlots,
      Function<List<T>, List<R>> writer) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1, got " + maxBatchSize);
    }
    if (maxDelayMillis < 0) {
      throw new IllegalArgumentException("maxDelayMillis must not be negative, got " + maxDelayMillis);
    }
    if (writeSlots < 1) {
      throw new IllegalArgumentException("writeSlots must be at least 1, got " + writeSlots);
    }
    this.writer = writer;
    this.maxBatchSize = maxBatchSize;
    this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
    this.writeSlots = writeSlots;
    this.collector = Thread.ofPlatform().daemon().name(name).start(this::collect);
  }

  /**
   * Queues {@code item} for the next batch. The future completes when the batch is written.
   *
   * @throws IllegalStateException if the batcher is closed
   */
  public CompletableFuture<R> submit(T item) {
    CompletableFuture<R> result = new CompletableFuture<>();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the report write batcher is closed");
      }
      queue.add(new Pending<>(item, result, System.nanoTime()));
      changed.signal();
    } finally {
      lock.unlock();
    }
    return result;
  }

  private void collect() {
    while (true) {
      List<Pending<T, R>> batch;
      lock.lock();
      try {
        while (!readyToWrite()) {
          if (closed && queue.isEmpty()) {
            return;
          }
          long wait = queue.isEmpty() || busyWriters < writeSlots
              ? Long.MAX_VALUE : queue.peek().queuedAtNanos() + maxDelayNanos - System.nanoTime();
          changed.awaitNanos(Math.max(1, wait));
        }
        batch = new ArrayList<>(Math.min(queue.size(), maxBatchSize));
        while (batch.size() < maxBatchSize && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
        busyWriters++;
      } catch (InterruptedException e) {
        // Nothing here interrupts the collector (close() signals instead): a stray interrupt only wakes it.
        continue;
      } finally {
        lock.unlock();
      }
      List<Pending<T, R>> toWrite = batch;
      writers.execute(() -> {
        try {
          write(toWrite);
        } finally {
          lock.lock();
          try {
            busyWriters--;
            changed.signal();
          } finally {
            lock.unlock();
          }
        }
      });
    }
  }

  /** Under {@link #lock}: whether the head of the queue should be written now. */
  private boolean readyToWrite() {
    if (queue.isEmpty()) {
      return false;
    }
    return closed || busyWriters < writeSlots
        || System.nanoTime() - queue.peek().queuedAtNanos() >= maxDelayNanos;
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
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
    try {
      collector.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.close();
  }
}
