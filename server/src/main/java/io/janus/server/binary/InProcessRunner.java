package io.janus.server.binary;

import io.janus.core.Clock;
import io.janus.server.config.BinaryConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Starts any set of janus binaries in this JVM through their public entry points ({@link BinaryDefinition}), and
 * stops them all, newest first, on {@link #close()}. The quickstart, the integration tests, the interop aggregator
 * and the benchmarks all start binaries here, so none of them copies a binary's wiring.
 *
 * <p>A binary starts one of two ways:
 *
 * <ul>
 *   <li>{@linkplain #start(String, BinaryDefinition, Path, String, Clock) from a YAML file}, exactly as its
 *       {@code main} runs it: the {@link BinaryHarness} loads the file, starts the health server, metrics and
 *       tracing, connects and checks its own datastore, then calls the entry point. Only {@code System.exit} and
 *       the SIGTERM hook are left out.
 *   <li>{@linkplain #start(BinaryDefinition, Record, BinaryServices) from a parsed configuration} and services the
 *       caller built (a shared datastore, say): the entry point alone, with no harness around it.
 * </ul>
 *
 * <p>Not thread-safe: start and close binaries from one thread.
 */
public final class InProcessRunner implements AutoCloseable {
  private final PrintStream log;
  private final List<RunningBinary> binaries = new ArrayList<>();

  /** A runner whose harness-started binaries log to standard output, as a binary's process does. */
  public InProcessRunner() {
    this(System.out);
  }

  /**
   * A runner whose harness-started binaries log to {@code log}. The harness points the JVM-wide log handler at
   * that stream, so every binary in one JVM should share it.
   */
  public InProcessRunner(PrintStream log) {
    this.log = log;
  }

  /**
   * Starts {@code binary} through its harness from {@code configFile}, as {@code main} would with
   * {@code CONFIG_FILE} and {@code DATASTORE_KEYS} set, and returns once it serves.
   *
   * @param label a name for the binary's thread and for messages, e.g. {@code leader aggregator}
   * @param clock the clock the harness hands to the binary and its datastore
   * @throws IllegalStateException if it does not start; the message carries the harness's one-line reason
   */
  public <C extends Record & BinaryConfig> RunningBinary start(String label, BinaryDefinition<C> binary,
      Path configFile, String datastoreKeys, Clock clock) {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    Stopper stopper = new Stopper();
    BinaryHarness.Builder<C> harness = BinaryHarness.builder(binary.name(), binary.configClass())
        .environment(Map.of(
            CommonOptions.CONFIG_FILE_ENV, configFile.toString(),
            CommonOptions.DATASTORE_KEYS_ENV, datastoreKeys))
        .clock(clock)
        .stopper(stopper)
        .streams(log, new PrintStream(errors, true, StandardCharsets.UTF_8))
        .installShutdownHook(false);
    return track(RunningBinary.start(label, stopper, started -> {
      int code = harness.run(new String[0], ctx -> {
        RunningBinary inner = binary.entryPoint().start(ctx.config(), ctx.services());
        started.accept(new RunningBinary.Started(ctx.meters(), inner.port(),
            OptionalInt.of(ctx.healthCheckPort())));
        inner.await();
      });
      if (code != 0) {
        throw new IllegalStateException(label + " exited with code " + code + ": "
            + errors.toString(StandardCharsets.UTF_8).strip());
      }
    }));
  }

  /**
   * Starts {@code binary} by calling its entry point with {@code config} and {@code services}; no harness, so no
   * health server and no datastore of its own.
   *
   * @throws IllegalStateException if it does not start
   */
  public <C extends Record & BinaryConfig> RunningBinary start(BinaryDefinition<C> binary, C config,
      BinaryServices services) {
    return track(binary.entryPoint().start(config, services));
  }

  /**
   * Starts a binary through another of its public entry points (one taking settings finer than the configuration
   * file allows, say) and stops it with the rest.
   */
  public RunningBinary start(Supplier<RunningBinary> entryPoint) {
    return track(entryPoint.get());
  }

  private RunningBinary track(RunningBinary binary) {
    binaries.add(binary);
    return binary;
  }

  /** Every binary started here, in start order, including those already stopped. */
  public List<RunningBinary> binaries() {
    return List.copyOf(binaries);
  }

  /**
   * Stops every binary, newest first (one already closed is skipped).
   *
   * @throws IllegalStateException if one did not stop cleanly; the others are still stopped, their failures
   *     suppressed
   */
  @Override
  public void close() {
    IllegalStateException failure = null;
    for (int i = binaries.size() - 1; i >= 0; i--) {
      try {
        binaries.get(i).close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = new IllegalStateException("stopping the binaries failed: " + e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
