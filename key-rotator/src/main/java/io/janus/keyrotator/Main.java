package io.janus.keyrotator;

import io.janus.server.binary.BinaryDefinition;
import io.janus.server.binary.BinaryHarness;
import io.janus.server.binary.BinaryServices;
import io.janus.server.binary.RunningBinary;
import java.time.Duration;

/**
 * The {@code key_rotator} binary: rotates the global HPKE keys once and exits (a cron job, as Janus's), or, with
 * {@code key_rotator.frequency_s}, every that many seconds until SIGTERM.
 */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  public static final String NAME = "key_rotator";

  /** The binary as a value, for {@link io.janus.server.binary.InProcessRunner}. */
  public static final BinaryDefinition<KeyRotatorConfig> BINARY =
      new BinaryDefinition<>(NAME, KeyRotatorConfig.class, Main::start);

  private Main() {}

  /** Runs the key rotator; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BINARY.main(args));
  }

  /** Starts the key rotator; a one-shot run ends the binary when it is done (exit code 0, or 1 if it failed). */
  public static RunningBinary start(KeyRotatorConfig config, BinaryServices services) {
    return RunningBinary.start(NAME, services.stopper(), started -> {
      KeyRotator rotator = new KeyRotator(services.datastore(), services.clock(),
          config.keyRotator().hpke().policy(), services.meters());
      started.accept(RunningBinary.Started.working(services.meters()));
      if (config.keyRotator().frequencyS().isPresent()) {
        rotator.run(services.stopper(), Duration.ofSeconds(config.keyRotator().frequencyS().getAsLong()));
      } else {
        rotator.runOnce();
      }
    });
  }
}
