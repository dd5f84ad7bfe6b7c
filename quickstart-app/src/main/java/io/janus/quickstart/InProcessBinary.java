package io.janus.quickstart;

import io.janus.core.binary.BinaryContext;
import io.janus.core.binary.BinaryHarness;
import io.janus.core.binary.CommonOptions;
import io.janus.core.binary.Stopper;
import io.janus.core.config.BinaryConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One janus binary running in this JVM exactly as its {@code main} would run it: through {@link BinaryHarness},
 * from a YAML configuration file, with its health server, metrics and datastore; only the JVM is shared. The body
 * runs on a thread of its own until {@link #close()}.
 *
 * <p>The harness's SIGTERM hook is off: whoever owns these binaries stops them (the quickstart does so on Ctrl-C).
 */
public final class InProcessBinary implements AutoCloseable {
  /** How long {@link #close()} waits for the body to return and the harness to release everything. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A binary's body, as in {@link io.janus.core.binary.BinaryMain}, that also says when it is serving.
   *
   * @param <C> the binary's configuration record
   */
  @FunctionalInterface
  public interface Body<C extends BinaryConfig> {
    /**
     * Runs the binary until its context's stopper trips.
     *
     * @param ctx what the harness built from the configuration
     * @param ready to call once the binary serves (for a server: once it listens)
     */
    void run(BinaryContext<C> ctx, Runnable ready) throws Exception;
  }

  private final String label;
  private final Path configFile;
  private final Thread thread;
  private final CompletableFuture<Integer> exit;
  private final Stopper stopper;
  private final int healthCheckPort;

  private InProcessBinary(String label, Path configFile, Thread thread, CompletableFuture<Integer> exit,
      Stopper stopper, int healthCheckPort) {
    this.label = label;
    this.configFile = configFile;
    this.thread = thread;
    this.exit = exit;
    this.stopper = stopper;
    this.healthCheckPort = healthCheckPort;
  }

  /**
   * Starts a binary and waits until its body says it is ready.
   *
   * @param label a name for messages and the thread, e.g. {@code leader aggregator}
   * @param binaryName the binary's name as its {@code main} gives it to the harness
   * @param configClass the binary's configuration record
   * @param configFile the YAML configuration
   * @param datastoreKeys the {@code DATASTORE_KEYS} value
   * @param log where the binary's logs go (the harness installs one handler for the whole JVM, so every
   *     binary in the JVM should be given the same stream)
   * @param startTimeout how long to wait for readiness
   * @throws IllegalStateException if the binary fails to start (with the harness's one-line reason) or is not
   *     ready in time
   */
  public static <C extends Record & BinaryConfig> InProcessBinary start(String label, String binaryName,
      Class<C> configClass, Body<C> body, Path configFile, String datastoreKeys, PrintStream log,
      Duration startTimeout) {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    AtomicReference<Stopper> stopper = new AtomicReference<>();
    BinaryHarness.Builder<C> harness = BinaryHarness.builder(binaryName, configClass)
        .environment(Map.of(
            CommonOptions.CONFIG_FILE_ENV, configFile.toString(),
            CommonOptions.DATASTORE_KEYS_ENV, datastoreKeys))
        .streams(log, err)
        .installShutdownHook(false);
    Thread thread = Thread.ofPlatform().name(label).daemon(true).start(() -> {
      try {
        exit.complete(harness.run(new String[0], ctx -> {
          stopper.set(ctx.stopper());
          body.run(ctx, () -> ready.complete(ctx.healthCheckPort()));
        }));
      } catch (Throwable t) {
        exit.completeExceptionally(t);
      }
    });
    try {
      Object first = CompletableFuture.anyOf(ready, exit).get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!ready.isDone()) {
        throw new IllegalStateException(label + " failed to start (exit code " + first + "): "
            + errors.toString(StandardCharsets.UTF_8).strip());
      }
      return new InProcessBinary(label, configFile, thread, exit, stopper.get(), ready.join());
    } catch (ExecutionException e) {
      throw new IllegalStateException(label + " failed to start: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      stopQuietly(stopper.get());
      throw new IllegalStateException(label + " was not ready within " + startTimeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(stopper.get());
      throw new IllegalStateException("interrupted while starting " + label, e);
    }
  }

  private static void stopQuietly(Stopper stopper) {
    if (stopper != null) {
      stopper.stop();
    }
  }

  /** The name given at start, e.g. {@code leader aggregator}. */
  public String label() {
    return label;
  }

  /** The YAML file the binary was started from. */
  public Path configFile() {
    return configFile;
  }

  /** The port serving {@code /healthz} and {@code /metrics}. */
  public int healthCheckPort() {
    return healthCheckPort;
  }

  /** Whether the binary is still running (it stops only through {@link #close()} or a failure). */
  public boolean isRunning() {
    return !exit.isDone();
  }

  /**
   * Asks the binary to stop and waits for it, as SIGTERM would.
   *
   * @throws IllegalStateException if it does not stop in time or stops with a failure exit code
   */
  @Override
  public void close() {
    stopper.stop();
    try {
      int code = exit.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (code != 0) {
        throw new IllegalStateException(label + " stopped with exit code " + code + "; see the log");
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(label + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException(label + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + label, e);
    }
  }

  @Override
  public String toString() {
    return "InProcessBinary[" + label + ", health port " + healthCheckPort + ", " + thread.getState() + "]";
  }
}
