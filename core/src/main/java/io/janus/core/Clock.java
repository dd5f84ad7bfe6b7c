package io.janus.core;

import io.janus.messages.Time;

/**
 * The source of the current time. Logic takes a {@code Clock} instead of reading the system clock, so tests can
 * move time by hand.
 */
public interface Clock {
  /** The current time, in whole seconds since the epoch. */
  Time now();

  /** The current time in milliseconds since the epoch, for leases and timers that need sub-second precision. */
  long nowMillis();

  /** The system clock. */
  Clock SYSTEM = new Clock() {
    @Override
    public Time now() {
      return new Time(System.currentTimeMillis() / 1000);
    }

    @Override
    public long nowMillis() {
      return System.currentTimeMillis();
    }
  };
}
