package io.janus.server.binary;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A started binary: what its entry point returns. The binary's body runs on a thread of its own until its
 * {@link Stopper} trips; {@link #close()} trips it and waits, as SIGTERM would. Thread-safe.
 */
public final class RunningBinary implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RunningBinary.class.getName());

  /** How long {@link #start} waits for a body to say it serves. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /** How long {@link #close()} waits for a body to return after its stopper trips. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What a body reports once it serves.
   *
   * @param meters where the binary records its metrics
   * @param port the port its HTTP API listens on, if it serves one
   * @param healthCheckPort the port of its health server, if it has one (binaries started by the harness do)
   */
  public record Started(MeterRegistry meters, OptionalInt port, OptionalInt healthCheckPort) {
    /** A binary serving HTTP on {@code port}, without a health server. */
    public static Started listening(MeterRegistry meters, int port) {
      return new Started(meters, OptionalInt.of(port), OptionalInt.empty());
    }

    /** A binary that serves no HTTP (a job binary), without a health server. */
    public static Started working(MeterRegistry meters) {
      return new Started(meters, OptionalInt.empty(), OptionalInt.empty());
    }
  }

  /** A binary's body: sets up, reports {@link Started} once it serves, then runs until its stopper trips. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the binary.
     *
     * @param started to call once, when the binary serves (a server: once it listens)
     */
    void run(Consumer<Started> started) throws Exception;
  }

  private final String name;
  private final Stopper stopper;
  private final Started started;
  private final CompletableFuture<Void> exit;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunningBinary(String name, Stopper stopper, Started started, CompletableFuture<Void> exit) {
    this.name = name;
    this.stopper = stopper;
    this.started = started;
    this.exit = exit;
  }

  /**
   * Runs {@code body} on a new thread named {@code name} and returns once it reports {@link Started}.
   *
   * @param stopper the signal {@code body} obeys; {@link #close()} trips it
   * @throws IllegalStateException if the body fails or returns before it reports, or does not report within
   *     {@link #START_TIMEOUT} (it is then asked to stop); the body's failure is the cause
   */
  public static RunningBinary start(String name, Stopper stopper, Body body) {
    CompletableFuture<Started> ready = new CompletableFuture<>();
    CompletableFuture<Void> exit = new CompletableFuture<>();
    Thread.ofPlatform().name(name).daemon(true).start(() -> {
      try {
        body.run(ready::complete);
        exit.complete(null);
      } catch (Throwable t) {
        if (ready.isDone()) {
          // Whoever waits on this binary learns it from await() or close(); the log says it at once.
          LOG.log(Level.SEVERE, name + " stopped with an error", t);
        }
        exit.completeExceptionally(t);
      } finally {
        ready.completeExceptionally(new IllegalStateException(name + " returned before it served"));
      }
    });
    try {
      CompletableFuture.anyOf(ready, exit).handle((r, t) -> null)
          .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (exit.isDone()) {
        // The body ended; if it had not served, its finally settles ready right after.
        ready.handle((r, t) -> null).join();
      }
      if (!ready.isCompletedExceptionally()) {
        return new RunningBinary(name, stopper, ready.join(), exit);
      }
      Throwable cause = exit.isCompletedExceptionally() ? exit.exceptionNow() : ready.exceptionNow();
      throw new IllegalStateException(name + " failed to start: " + message(cause), cause);
    } catch (ExecutionException e) {
      throw new IllegalStateException(name + " failed to start: " + message(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      stopper.stop();
      throw new IllegalStateException(name + " did not start within " + START_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopper.stop();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
  }

  /** The name given at start, also the name of the binary's thread. */
  public String name() {
    return name;
  }

  /** The port the binary's HTTP API listens on, if it serves one (the aggregator's DAP API). */
  public OptionalInt port() {
    return started.port();
  }

  /** The port of the binary's health server, if it has one. */
  public OptionalInt healthCheckPort() {
    return started.healthCheckPort();
  }

  /** Where the binary records its metrics. */
  public MeterRegistry meters() {
    return started.meters();
  }

  /** The signal the binary obeys. */
  public Stopper stopper() {
    return stopper;
  }

  /** Whether the binary's body is still running. */
  public boolean isRunning() {
    return !exit.isDone();
  }

  /**
   * Blocks until the binary's body returns: after its stopper trips, or when it fails.
   *
   * @throws Exception what the body failed with
   */
  public void await() throws Exception {
    try {
      exit.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /**
   * Trips the binary's stopper, as SIGTERM would, and waits up to {@link #STOP_TIMEOUT} for it to finish. Only the
   * first call waits and reports; later ones return at once.
   *
   * @throws IllegalStateException if it does not stop in time or its body failed
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopper.stop();
    try {
      exit.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException(name + " failed: " + message(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + name, e);
    }
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public String toString() {
    return "RunningBinary[" + name + ", " + (isRunning() ? "running" : "stopped") + "]";
  }
}
