package io.janus.server.binary;

import io.janus.server.config.BinaryConfig;

/**
 * One janus binary as a value: its name (as in logs, metrics and error lines), its configuration record and its
 * entry point. Each binary's {@code Main} publishes one as {@code Main.BINARY}; its {@code main} is
 * {@link #main(String[])}, and {@link InProcessRunner} starts it in-process the same way.
 *
 * @param name the binary's name, e.g. {@code aggregation_job_driver}
 * @param configClass the binary's configuration record
 * @param entryPoint starts the binary
 * @param <C> the binary's configuration record
 */
public record BinaryDefinition<C extends Record & BinaryConfig>(String name, Class<C> configClass,
    BinaryEntryPoint<C> entryPoint) {
  /** Validates the name. */
  public BinaryDefinition {
    if (name.isBlank()) {
      throw new IllegalArgumentException("binary name must not be blank");
    }
  }

  /**
   * Runs the binary as a process does: through {@link BinaryHarness}, until SIGTERM or a failure.
   *
   * @return the process exit code (see {@link BinaryHarness})
   */
  public int main(String[] args) {
    return BinaryHarness.run(name, args, configClass, this::run);
  }

  /**
   * The body {@link #main} gives the harness: starts the binary with what the harness built, then waits until it
   * stops (after the context's stopper trips) or fails.
   *
   * @throws Exception what the binary failed with
   */
  public void run(BinaryContext<C> ctx) throws Exception {
    entryPoint.start(ctx.config(), ctx.services()).await();
  }
}
