package io.janus.core.http;

import java.time.Duration;

/** Waits between attempts; tests substitute one that advances a mock clock, binaries one that ends on shutdown. */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps for real. */
  Sleeper SYSTEM = d -> Thread.sleep(d);
}
