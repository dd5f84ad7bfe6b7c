package io.janus.server.config;

import java.util.Optional;

/**
 * The {@code metrics_config} section.
 *
 * @param exporter how metrics leave the process; none keeps them in memory only
 */
@ConfigIgnoredKeys({"tokio: Tokio runtime metrics; the JVM's are exported as jvm_* metrics instead"})
public record MetricsConfig(Optional<ExporterConfig> exporter) {

  /**
   * The {@code metrics_config.exporter} section.
   *
   * <p>Janus also knows an {@code otlp} exporter; this build supports only Prometheus, so any other key is an
   * unknown-key error, and an empty section is a missing-key error rather than a silent default.
   *
   * @param prometheus serve a Prometheus scrape endpoint; required
   */
  public record ExporterConfig(Optional<PrometheusConfig> prometheus) {
    /** Requires an exporter to be chosen. */
    public ExporterConfig {
      if (prometheus.isEmpty()) {
        throw new InvalidConfigValueException("prometheus", "missing required key (the supported exporter)");
      }
    }
  }

  /**
   * A Prometheus scrape endpoint, served at {@code GET /metrics}.
   *
   * @param host the address to listen on (default 0.0.0.0, as in Janus)
   * @param port the port to listen on (default 9464, as in Janus)
   */
  public record PrometheusConfig(@ConfigDefault("0.0.0.0") String host, @ConfigDefault("9464") int port) {
    /** Validates the port. */
    public PrometheusConfig {
      if (port < 0 || port > 65535) {
        throw new InvalidConfigValueException("port", "must be 0..65535");
      }
      if (host.isEmpty()) {
        throw new InvalidConfigValueException("host", "must not be empty");
      }
    }

    /** The listen address as host and port. */
    public ListenAddress listenAddress() {
      return new ListenAddress(host, port);
    }
  }
}
