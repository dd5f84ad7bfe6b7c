package io.janus.interop;

import io.janus.server.binary.Stopper;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM/SIGINT into a stop for a binary's main thread, and holds the JVM's exit until that thread has
 * closed what it started (an embedded PostgreSQL above all), for at most {@link #GRACE_SECONDS}. Use it in
 * try-with-resources around everything the binary opens, so that {@link #close()} runs last.
 */
final class ShutdownHook implements AutoCloseable {
  /** How long a signal waits for the main thread to clean up before the JVM exits anyway. */
  static final long GRACE_SECONDS = 30;

  private final Stopper stopper = new Stopper();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  private ShutdownHook(String name) {
    this.hook = new Thread(() -> {
      stopper.stop();
      try {
        closed.await(GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name + "-shutdown");
  }

  /** Registers the hook; the binary named {@code name} then stops on SIGTERM or SIGINT. */
  static ShutdownHook install(String name) {
    ShutdownHook h = new ShutdownHook(name);
    Runtime.getRuntime().addShutdownHook(h.hook);
    return h;
  }

  /** Blocks until a signal arrives. */
  void awaitSignal() throws InterruptedException {
    stopper.awaitStop();
  }

  /** Tells a waiting signal that cleanup is done, so the JVM may exit. */
  @Override
  public void close() {
    closed.countDown();
  }
}
