package io.janus.server.binary;

import io.janus.server.config.BinaryConfig;

/**
 * A binary's public entry point: starts the binary from its parsed configuration and returns once it serves.
 *
 * @param <C> the binary's configuration record
 */
@FunctionalInterface
public interface BinaryEntryPoint<C extends BinaryConfig> {
  /**
   * Starts the binary; it runs until {@code services.stopper()} trips or {@link RunningBinary#close()} is called.
   * Only the binary-specific keys of {@code config} are read: the datastore, clock and telemetry come from
   * {@code services}.
   *
   * @throws IllegalStateException if the binary cannot start (for example, its listen address is taken)
   */
  RunningBinary start(C config, BinaryServices services);
}
