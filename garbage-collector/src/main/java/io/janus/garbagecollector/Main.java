package io.janus.garbagecollector;

import io.janus.server.binary.BinaryDefinition;
import io.janus.server.binary.BinaryHarness;
import io.janus.server.binary.BinaryServices;
import io.janus.server.binary.RunningBinary;

/** The {@code garbage_collector} binary: deletes expired data every {@code gc_frequency_s} until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  public static final String NAME = "garbage_collector";

  /** The binary as a value, for {@link io.janus.server.binary.InProcessRunner}. */
  public static final BinaryDefinition<GarbageCollectorConfig> BINARY =
      new BinaryDefinition<>(NAME, GarbageCollectorConfig.class, Main::start);

  private Main() {}

  /** Runs the garbage collector; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BINARY.main(args));
  }

  /** Starts the garbage collector: one collection at once, then one every {@code gc_frequency_s} until stopped. */
  public static RunningBinary start(GarbageCollectorConfig config, BinaryServices services) {
    return RunningBinary.start(NAME, services.stopper(), started -> {
      GarbageCollector collector = new GarbageCollector(services.datastore(), services.clock(),
          config.garbageCollection(), services.meters());
      started.accept(RunningBinary.Started.working(services.meters()));
      collector.run(services.stopper());
    });
  }
}
