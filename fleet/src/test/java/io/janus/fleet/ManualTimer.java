package io.janus.fleet;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DaemonTimer} whose time moves only when a test says so. {@link #step()} lets the daemon run exactly
 * its next due operations: it waits until the daemon sleeps, moves time to the daemon's deadline, and returns
 * once the daemon sleeps again, so a test knows the operations have finished without sleeping itself.
 */
public final class ManualTimer implements DaemonTimer {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long now;
  private long waits;
  private long deadline;
  private boolean waiting;
  private boolean woken;

  /** Starts at {@code startMillis}. */
  public ManualTimer(long startMillis) {
    this.now = startMillis;
  }

  @Override
  public long nowMillis() {
    lock.lock();
    try {
      return now;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean awaitUntil(long deadlineMillis) throws InterruptedException {
    lock.lock();
    try {
      waits++;
      waiting = true;
      deadline = deadlineMillis;
      changed.signalAll();
      try {
        while (!woken && now < deadlineMillis) {
          changed.await();
        }
      } finally {
        waiting = false;
        changed.signalAll();
      }
      if (woken) {
        woken = false;
        return false;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void wake() {
    lock.lock();
    try {
      woken = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the daemon sleeps, moves time to its deadline, and waits until it sleeps again.
   *
   * @return the deadline the daemon woke at
   */
  public long step() throws InterruptedException {
    lock.lock();
    try {
      awaitWaiting(-1);
      long seq = waits;
      long reached = deadline;
      now = Math.max(now, reached);
      changed.signalAll();
      awaitWaiting(seq);
      return reached;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the daemon sleeps (after wait number {@code after}, or any), returning its deadline. */
  public long awaitSleeping() throws InterruptedException {
    lock.lock();
    try {
      awaitWaiting(-1);
      return deadline;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code action} (such as a stop or reload request, which wakes the daemon) and waits until the daemon
   * sleeps again after it.
   *
   * @return the deadline of that sleep
   */
  public long afterNextSleep(Runnable action) throws InterruptedException {
    lock.lock();
    try {
      awaitWaiting(-1);
      long seq = waits;
      action.run();
      awaitWaiting(seq);
      return deadline;
    } finally {
      lock.unlock();
    }
  }

  private void awaitWaiting(long after) throws InterruptedException {
    long left = PATIENCE.toNanos();
    while (!waiting || waits <= after) {
      if (left <= 0) {
        throw new IllegalStateException("the daemon did not go back to sleep within " + PATIENCE);
      }
      left = changed.awaitNanos(left);
    }
  }

  /** Moves time to {@code millis} (never backwards). */
  public void advanceTo(long millis) {
    lock.lock();
    try {
      now = Math.max(now, millis);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

}
