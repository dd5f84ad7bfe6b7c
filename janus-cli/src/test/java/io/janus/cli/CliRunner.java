package io.janus.cli;

import io.janus.core.MockClock;
import io.janus.messages.Time;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;

/** Runs the CLI in-process with captured streams, a mock clock and seeded randomness. */
final class CliRunner {
  private final Map<String, String> environment;
  private final MockClock clock = new MockClock(new Time(1_700_000_000));
  private final SecureRandom random;

  /** The result of one run. */
  record Result(int exitCode, String out, String err) {}

  CliRunner(Map<String, String> environment, long seed) {
    this.environment = Map.copyOf(environment);
    this.random = seeded(seed);
  }

  MockClock clock() {
    return clock;
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int code = JanusCli.run(args, new CliContext(environment, o, e, clock, random));
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /** A deterministic SecureRandom, so a failing run can be replayed from its printed seed. */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
