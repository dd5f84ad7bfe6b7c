package io.janus.core;

import io.janus.messages.DapDuration;
import io.janus.messages.Time;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when a test says so. Thread-safe. */
public final class MockClock implements Clock {
  private final AtomicLong millis;

  /** Starts at {@code start}. */
  public MockClock(Time start) {
    this.millis = new AtomicLong(start.seconds() * 1000);
  }

  /** Starts at a fixed, round instant (2025-01-01T00:00:00Z). */
  public MockClock() {
    this(new Time(1_735_689_600L));
  }

  @Override
  public Time now() {
    return new Time(millis.get() / 1000);
  }

  @Override
  public long nowMillis() {
    return millis.get();
  }

  /** Moves the clock forward. */
  public void advance(DapDuration d) {
    millis.addAndGet(d.seconds() * 1000);
  }

  /** Moves the clock forward by milliseconds. */
  public void advanceMillis(long ms) {
    millis.addAndGet(ms);
  }

  /** Sets the clock. */
  public void set(Time t) {
    millis.set(t.seconds() * 1000);
  }
}
