package io.janus.garbagecollector;

import io.janus.core.binary.BinaryContext;
import io.janus.core.binary.BinaryHarness;

/** The {@code garbage_collector} binary: deletes expired data every {@code gc_frequency_s} until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  static final String NAME = "garbage_collector";

  private Main() {}

  /** Runs the garbage collector; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BinaryHarness.run(NAME, args, GarbageCollectorConfig.class, Main::run));
  }

  /** The binary's body: one collection at once, then one every {@code gc_frequency_s} until stopped. */
  static void run(BinaryContext<GarbageCollectorConfig> ctx) throws InterruptedException {
    new GarbageCollector(ctx.datastore(), ctx.clock(), ctx.config().garbageCollection(), ctx.meters())
        .run(ctx.stopper());
  }
}
