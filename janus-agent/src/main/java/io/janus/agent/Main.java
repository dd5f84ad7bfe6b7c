package io.janus.agent;

import io.janus.fleet.ConfigException;
import io.janus.fleet.DaemonTimer;
import io.janus.fleet.LockFile;
import io.janus.fleet.Signals;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * {@code janus-agent CONFIG.ini}: runs the reporting daemon until SIGTERM (or SIGINT); SIGHUP reloads the
 * configuration. Exit status 0 after a clean stop, 1 if it cannot run (another agent holds the lock directory, the
 * lock cannot be taken), 2 for a bad command line or configuration, which it reports as one line
 * {@code file:line: key: reason}.
 */
public final class Main {
  private Main() {}

  /** Runs the daemon and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the daemon with the machine's clock and files; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1 || args[0].startsWith("-")) {
      err.println("usage: janus-agent CONFIG.ini");
      return 2;
    }
    Agent agent;
    try {
      agent = Agent.create(Path.of(args[0]), DaemonTimer.system(), SystemPaths.MACHINE, err, out);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    Signals.install(agent::stop, agent::reload);
    try {
      agent.run();
      return 0;
    } catch (LockFile.HeldException | UncheckedIOException e) {
      err.println("janus-agent: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
