package io.janus.exporter;

import io.janus.fleet.ConfigException;
import io.janus.fleet.DaemonTimer;
import io.janus.fleet.LockFile;
import io.janus.fleet.Signals;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code janus-exporter CONFIG.ini}: runs the exporting daemon until SIGTERM (or SIGINT) or an {@code exit}
 * control message. SIGHUP, as for the agent, stops it so that its supervisor starts it on the new configuration
 * (its state is the running collection jobs, which a restart resumes by window). Exit status 0 after a clean stop,
 * 1 if it cannot run, 2 for a bad command line or configuration, reported as one line {@code file:line: key:
 * reason}.
 */
public final class Main {
  // Held so that the level set below is not lost when the logger is collected.
  private static final Logger KAFKA_LOGS = Logger.getLogger("org.apache.kafka");

  private Main() {}

  /** Runs the daemon and exits with its status. */
  public static void main(String[] args) {
    // The Kafka client logs its whole configuration at INFO; the daemon's own lines say what matters.
    KAFKA_LOGS.setLevel(Level.WARNING);
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the daemon on the system clock; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1 || args[0].startsWith("-")) {
      err.println("usage: janus-exporter CONFIG.ini");
      return 2;
    }
    Exporter exporter;
    try {
      exporter = Exporter.create(Path.of(args[0]), DaemonTimer.system(), err, out);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    Signals.install(exporter::stop, exporter::stop);
    try {
      exporter.run();
      return 0;
    } catch (LockFile.HeldException | UncheckedIOException | org.apache.kafka.common.KafkaException e) {
      // A Kafka client that cannot be built (its TLS material unusable, say) is one line too, not a trace.
      err.println("janus-exporter: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
