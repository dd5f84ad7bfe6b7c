package io.janus.cli;

import io.janus.core.Clock;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

/**
 * What every command reads from its surroundings: environment variables, the output streams, the clock and the
 * source of randomness. Production uses the process's; tests pass their own so nothing global is touched.
 *
 * @param environment the environment variables to read option fallbacks from
 * @param out where results go (YAML, keys); kept free of logs so it can be piped
 * @param err where progress and the one-line failure reason go
 * @param clock the time stamped on key state changes
 * @param random the source of generated keys, IDs and tokens
 */
record CliContext(Map<String, String> environment, PrintStream out, PrintStream err, Clock clock,
    SecureRandom random) {
  CliContext {
    environment = Map.copyOf(environment);
  }

  /** The process's environment, standard streams, system clock and a fresh {@link SecureRandom}. */
  static CliContext system() {
    return new CliContext(System.getenv(), System.out, System.err, Clock.SYSTEM, new SecureRandom());
  }

  /** The value of an environment variable, if set and not blank. */
  Optional<String> env(String name) {
    String v = environment.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }
}
