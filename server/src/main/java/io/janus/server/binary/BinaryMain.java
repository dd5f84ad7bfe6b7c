package io.janus.server.binary;

import io.janus.server.config.BinaryConfig;

/**
 * A binary's body, run by {@link BinaryHarness} once everything the context offers is up.
 *
 * <p>It should return when {@link BinaryContext#stopper()} trips, after finishing or abandoning in-flight work;
 * the harness then closes the datastore and servers. A long-running binary that returns on its own ends the
 * process with exit code 0; one that throws ends it with exit code 1.
 *
 * @param <C> the binary's configuration record
 */
@FunctionalInterface
public interface BinaryMain<C extends BinaryConfig> {
  /** Runs the binary until it is done or asked to stop. */
  void run(BinaryContext<C> context) throws Exception;
}
