package io.janus.aggregator;

import io.janus.core.Clock;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.core.task.Task;
import io.janus.messages.TaskId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Caches tasks and the global HPKE keys for the upload path and the HPKE configuration endpoint, which would
 * otherwise read them from the database on every request (Janus's task and key caches, with its defaults).
 *
 * <p>A cached task is served for up to {@code taskTtlMillis} after it was read, so a changed or deleted task is
 * noticed that late; unknown task IDs are not cached, so a newly provisioned task is usable at once. The global
 * keys are re-read every {@code keysRefreshMillis}: the key rotator keeps a new key PENDING (accepted but not
 * advertised) for longer than that before clients may see it. Thread-safe.
 */
final class TaskCache {
  private record Entry(Task task, long expiresAtMillis) {}

  private final Datastore datastore;
  private final Clock clock;
  private final long taskTtlMillis;
  private final int capacity;
  private final long keysRefreshMillis;
  private final Map<TaskId, Entry> tasks = new ConcurrentHashMap<>();
  private final ReentrantLock keysLock = new ReentrantLock();
  private volatile List<GlobalHpkeKeypair> keys = List.of();
  private volatile long keysExpireAtMillis = Long.MIN_VALUE;

  TaskCache(Datastore datastore, Clock clock, long taskTtlMillis, int capacity, long keysRefreshMillis) {
    this.datastore = datastore;
    this.clock = clock;
    this.taskTtlMillis = taskTtlMillis;
    this.capacity = capacity;
    this.keysRefreshMillis = keysRefreshMillis;
  }

  /** The task, from the cache or else the database. */
  Optional<Task> task(TaskId id) {
    long now = clock.nowMillis();
    Entry e = tasks.get(id);
    if (e != null && e.expiresAtMillis() > now) {
      return Optional.of(e.task());
    }
    Optional<Task> task = datastore.run("get_task", tx -> tx.tasks().get(id));
    if (task.isEmpty()) {
      tasks.remove(id);
      return task;
    }
    if (tasks.size() >= capacity) {
      tasks.values().removeIf(x -> x.expiresAtMillis() <= now);
      if (tasks.size() >= capacity) {
        // Still full of live entries: start over rather than track recency on every hit.
        tasks.clear();
      }
    }
    tasks.put(id, new Entry(task.get(), now + taskTtlMillis));
    return task;
  }

  /** The global HPKE keys in every state, re-read once the refresh interval has passed. */
  List<GlobalHpkeKeypair> globalKeys() {
    if (clock.nowMillis() < keysExpireAtMillis) {
      return keys;
    }
    keysLock.lock();
    try {
      // Another thread may have refreshed while this one waited.
      long now = clock.nowMillis();
      if (now >= keysExpireAtMillis) {
        keys = datastore.run("get_global_hpke_keys", tx -> tx.hpkeKeys().getAll());
        keysExpireAtMillis = now + keysRefreshMillis;
      }
      return keys;
    } finally {
      keysLock.unlock();
    }
  }
}
