package io.janus.integration;

import io.helidon.webserver.WebServer;
import io.janus.core.Clock;
import io.janus.core.binary.BinaryContext;
import io.janus.core.binary.BinaryHarness;
import io.janus.core.binary.BinaryMain;
import io.janus.core.binary.CommonOptions;
import io.janus.core.binary.Stopper;
import io.janus.core.config.BinaryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One janus binary running in this JVM as its {@code main} runs it: {@link BinaryHarness} parses the options from
 * the environment, loads the YAML file, starts the health server, connects and checks the datastore, and then calls
 * the body of the binary's own {@code Main} class. Only {@code System.exit} and the SIGTERM hook are left out; the
 * test stops the binary through its {@link Stopper}, as SIGTERM would.
 *
 * <p>The bodies ({@code Main.run}, {@code Main.serve}) are package-private in their modules, so they are called
 * reflectively: that runs exactly the production wiring rather than a copy of it that could drift.
 */
final class InProcessBinary implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** What a started binary exposes once its body runs. */
  private record Started(BinaryContext<?> context, int port) {}

  private final String label;
  private final BinaryContext<?> context;
  private final int port;
  private final CompletableFuture<Integer> exit;
  private final ByteArrayOutputStream errors;

  private InProcessBinary(String label, Started started, CompletableFuture<Integer> exit,
      ByteArrayOutputStream errors) {
    this.label = label;
    this.context = started.context();
    this.port = started.port();
    this.exit = exit;
    this.errors = errors;
  }

  /**
   * Starts {@code binary} from {@code configFile} and waits until its body runs (for the aggregator: until the DAP
   * server listens).
   *
   * @param label a name for the thread and for messages, e.g. {@code leader leader-aggregation_job_driver-4.yaml}
   * @param clock the clock the harness hands to the binary and its datastore
   * @throws IllegalStateException with the harness's one-line reason if the binary does not start
   */
  static InProcessBinary start(String label, Binary binary, Path configFile, String datastoreKeys, Clock clock) {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);
    CompletableFuture<Started> started = new CompletableFuture<>();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    BinaryHarness.Builder<?> harness = harness(binary, configFile, datastoreKeys, clock, err);
    Method body = body(binary);
    Thread.ofPlatform().name(label).daemon(true).start(() -> {
      try {
        exit.complete(run(harness, ctx -> invoke(binary, body, ctx, started)));
      } catch (Throwable t) {
        exit.completeExceptionally(t);
      } finally {
        started.completeExceptionally(new IllegalStateException(label + " ended before it was ready"));
      }
    });
    try {
      CompletableFuture.anyOf(started, exit).get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!started.isDone() || started.isCompletedExceptionally()) {
        throw new IllegalStateException(label + " failed to start (exit code " + exit.getNow(-1) + "): "
            + errors.toString(StandardCharsets.UTF_8).strip());
      }
      return new InProcessBinary(label, started.join(), exit, errors);
    } catch (ExecutionException e) {
      throw new IllegalStateException(label + " failed to start: " + e.getCause() + "; "
          + errors.toString(StandardCharsets.UTF_8).strip(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(label + " was not ready within " + START_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + label, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <C extends Record & BinaryConfig> BinaryHarness.Builder<C> harness(Binary binary, Path configFile,
      String datastoreKeys, Clock clock, PrintStream err) {
    return BinaryHarness.builder(binary.binaryName(), (Class<C>) binary.configClass())
        .environment(Map.of(
            CommonOptions.CONFIG_FILE_ENV, configFile.toString(),
            CommonOptions.DATASTORE_KEYS_ENV, datastoreKeys))
        .clock(clock)
        // Every harness in the JVM points the JVM-wide log handler at its out stream: give them all the same one.
        .streams(System.out, err)
        .installShutdownHook(false);
  }

  /** Runs the harness with a body that takes any configuration (the reflective call does the typing). */
  private static <C extends Record & BinaryConfig> int run(BinaryHarness.Builder<C> harness,
      BinaryMain<BinaryConfig> body) {
    return harness.run(new String[0], ctx -> {
      @SuppressWarnings("unchecked")
      BinaryContext<BinaryConfig> untyped = (BinaryContext<BinaryConfig>) (BinaryContext<?>) ctx;
      body.run(untyped);
    });
  }

  private static Method body(Binary binary) {
    try {
      Class<?> main = Class.forName(binary.mainClass());
      Method m = binary == Binary.AGGREGATOR
          ? main.getDeclaredMethod("serve", BinaryContext.class, Consumer.class)
          : main.getDeclaredMethod("run", BinaryContext.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the body of " + binary.mainClass() + " is not where this test expects it",
          e);
    }
  }

  private static void invoke(Binary binary, Method body, BinaryContext<BinaryConfig> ctx,
      CompletableFuture<Started> started) throws Exception {
    try {
      if (binary == Binary.AGGREGATOR) {
        Consumer<WebServer> onStarted = server -> started.complete(new Started(ctx, server.port()));
        body.invoke(null, ctx, onStarted);
      } else {
        // A job binary is serving once its harness handed over the connected context.
        started.complete(new Started(ctx, -1));
        body.invoke(null, ctx);
      }
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** The port the aggregator's DAP API listens on; only for {@link Binary#AGGREGATOR}. */
  int port() {
    if (port < 0) {
      throw new IllegalStateException(label + " serves no DAP API");
    }
    return port;
  }

  /** Where the binary records its metrics. */
  MeterRegistry meters() {
    return context.meters();
  }

  /** Whether the body is still running. */
  boolean isRunning() {
    return !exit.isDone();
  }

  /**
   * Trips the binary's stopper (as SIGTERM does) and waits for the harness to return.
   *
   * @throws IllegalStateException if it does not stop in time or exits with a failure code
   */
  @Override
  public void close() {
    context.stopper().stop();
    try {
      int code = exit.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (code != 0) {
        throw new IllegalStateException(label + " exited with code " + code + ": "
            + errors.toString(StandardCharsets.UTF_8).strip());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(label + " did not stop within " + STOP_TIMEOUT);
    } catch (ExecutionException e) {
      throw new IllegalStateException(label + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + label, e);
    }
  }

  @Override
  public String toString() {
    return "InProcessBinary[" + label + "]";
  }
}
