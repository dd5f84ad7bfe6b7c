package io.janus.fleet;

import sun.misc.Signal;

/**
 * The daemons' signal handling: SIGTERM and SIGINT ask for a clean stop, SIGHUP for a reload of the
 * configuration. Handlers only set flags (they run on the JVM's signal thread), so they must return at once.
 * Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the JDK's only way to catch SIGHUP.
 */
public final class Signals {
  private Signals() {}

  /** Installs {@code stop} for SIGTERM and SIGINT and {@code reload} for SIGHUP. */
  public static void install(Runnable stop, Runnable reload) {
    Signal.handle(new Signal("TERM"), s -> stop.run());
    Signal.handle(new Signal("INT"), s -> stop.run());
    Signal.handle(new Signal("HUP"), s -> reload.run());
  }
}
