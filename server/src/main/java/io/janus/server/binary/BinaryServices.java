package io.janus.server.binary;

import io.janus.core.Clock;
import io.janus.server.datastore.Datastore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;

/**
 * What every binary's entry point needs besides its own settings: the clock, the datastore, where metrics and
 * spans go, and the stop signal it obeys. The harness builds one from the configuration
 * ({@link BinaryContext#services()}); an embedder builds one from what it already has.
 *
 * @param clock the time source of the binary and everything it builds
 * @param datastore the datastore the binary reads and writes
 * @param meters where the binary registers its metrics
 * @param openTelemetry where the binary's spans go ({@link OpenTelemetry#noop()} for none)
 * @param stopper the signal that tells the binary to finish; {@link RunningBinary#close()} trips it
 */
public record BinaryServices(Clock clock, Datastore datastore, MeterRegistry meters, OpenTelemetry openTelemetry,
    Stopper stopper) {
  /** Services without tracing, with a fresh stopper: what an embedder that shares one datastore needs. */
  public static BinaryServices of(Clock clock, Datastore datastore, MeterRegistry meters) {
    return new BinaryServices(clock, datastore, meters, OpenTelemetry.noop(), new Stopper());
  }

  /** The same services with a fresh stopper, so that each binary sharing them can be stopped on its own. */
  public BinaryServices withNewStopper() {
    return new BinaryServices(clock, datastore, meters, openTelemetry, new Stopper());
  }
}
