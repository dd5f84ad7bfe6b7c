package io.janus.server.binary;

import io.janus.core.Clock;
import io.janus.server.config.BinaryConfig;
import io.janus.server.datastore.Datastore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link BinaryHarness} hands a binary: its name, clock, configuration, datastore, metrics, tracing and stop
 * signal. Immutable.
 *
 * @param <C> the binary's configuration record
 */
public final class BinaryContext<C extends BinaryConfig> {
  private final String name;
  private final Clock clock;
  private final C config;
  private final CommonOptions options;
  private final Optional<Datastore> datastore;
  private final MeterRegistry meters;
  private final OpenTelemetry openTelemetry;
  private final Stopper stopper;
  private final int healthCheckPort;
  private final OptionalInt metricsPort;

  BinaryContext(String name, Clock clock, C config, CommonOptions options, Optional<Datastore> datastore,
      MeterRegistry meters, OpenTelemetry openTelemetry, Stopper stopper, int healthCheckPort,
      OptionalInt metricsPort) {
    this.name = name;
    this.clock = clock;
    this.config = config;
    this.options = options;
    this.datastore = datastore;
    this.meters = meters;
    this.openTelemetry = openTelemetry;
    this.stopper = stopper;
    this.healthCheckPort = healthCheckPort;
    this.metricsPort = metricsPort;
  }

  /** The binary's name, as given to the harness (e.g. {@code aggregation_job_driver}). */
  public String name() {
    return name;
  }

  /** The clock the binary must use instead of reading the system time. */
  public Clock clock() {
    return clock;
  }

  /** The binary's validated configuration. */
  public C config() {
    return config;
  }

  /** The parsed common command-line options (secrets included; never log them unredacted). */
  public CommonOptions options() {
    return options;
  }

  /**
   * The datastore.
   *
   * @throws IllegalStateException if the binary opted out of the datastore with
   *     {@link BinaryHarness.Builder#withoutDatastore()}
   */
  public Datastore datastore() {
    return datastore.orElseThrow(() -> new IllegalStateException(name + " runs without a datastore"));
  }

  /** Where the binary registers its metrics; exported when {@code metrics_config.exporter} is set. */
  public MeterRegistry meters() {
    return meters;
  }

  /** The tracing entry point; a no-op unless {@code logging_config.open_telemetry_config} is set. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** The signal that tells the binary to finish: tripped on SIGTERM or SIGINT. */
  public Stopper stopper() {
    return stopper;
  }

  /**
   * What the binary's entry point needs besides its configuration: clock, datastore, metrics, tracing and stopper.
   *
   * @throws IllegalStateException if the binary opted out of the datastore
   */
  public BinaryServices services() {
    return new BinaryServices(clock, datastore(), meters, openTelemetry, stopper);
  }

  /** The port the health server actually listens on (differs from the configured one when that was 0). */
  public int healthCheckPort() {
    return healthCheckPort;
  }

  /** The port {@code GET /metrics} is served on, if Prometheus export is configured. */
  public OptionalInt metricsPort() {
    return metricsPort;
  }

  @Override
  public String toString() {
    return "BinaryContext[name=" + name + ", config=" + config + ", datastore=" + datastore.isPresent() + "]";
  }
}
