package io.janus.fleet;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The daemons' one source of time and of waiting: {@link #awaitUntil} sleeps until a deadline, and
 * {@link #wake()} cuts the sleep short (a signal asked to stop or to reload). Tests substitute a timer whose
 * time moves only when they say so, so a daemon's cadence runs deterministically.
 */
public interface DaemonTimer {
  /** The current time, epoch milliseconds. */
  long nowMillis();

  /**
   * Waits until {@link #nowMillis()} reaches {@code deadlineMillis} or {@link #wake()} is called (also before this
   * call, since the last wait).
   *
   * @return true when the deadline came, false when woken
   * @throws InterruptedException if the thread is interrupted
   */
  boolean awaitUntil(long deadlineMillis) throws InterruptedException;

  /** Ends the current (or next) {@link #awaitUntil} early. Safe from any thread, including a signal handler. */
  void wake();

  /** A timer on the system clock. */
  static DaemonTimer system() {
    return new DaemonTimer() {
      private final ReentrantLock lock = new ReentrantLock();
      private final Condition changed = lock.newCondition();
      private boolean woken;

      @Override
      public long nowMillis() {
        return System.currentTimeMillis();
      }

      @Override
      public boolean awaitUntil(long deadlineMillis) throws InterruptedException {
        lock.lock();
        try {
          while (!woken) {
            long left = deadlineMillis - System.currentTimeMillis();
            if (left <= 0) {
              return true;
            }
            changed.await(left, TimeUnit.MILLISECONDS);
          }
          woken = false;
          return false;
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
    };
  }
}
