package io.janus.agent;

import io.janus.fleet.MetricLayout;
import io.janus.messages.Time;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The reports waiting for the Leader, oldest first, bounded so that a long outage costs memory in proportion to
 * the capacity and not to its length: when full, the oldest report is dropped to make room (recent samples are
 * worth more than old ones) and the drop is counted, so the daemon can report it. Not thread-safe.
 */
final class RetryQueue {
  /**
   * One report not yet accepted.
   *
   * @param dataType which task it goes to
   * @param measurement the measurement
   * @param time the time it was sampled
   */
  record Pending(MetricLayout dataType, long[] measurement, Time time) {
    @Override
    public String toString() {
      return dataType.dataType() + "@" + time.seconds() + Arrays.toString(measurement);
    }
  }

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final int capacity;
  private long dropped;

  RetryQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /** Queues {@code p}; returns false when that dropped the oldest report. */
  boolean add(Pending p) {
    boolean room = queue.size() < capacity;
    if (!room) {
      queue.removeFirst();
      dropped++;
    }
    queue.addLast(p);
    return room;
  }

  /** The reports, oldest first; remove through the iterator as they are accepted. */
  Iterator<Pending> iterator() {
    return queue.iterator();
  }

  int size() {
    return queue.size();
  }

  /** How many reports were dropped for lack of room so far. */
  long dropped() {
    return dropped;
  }
}
