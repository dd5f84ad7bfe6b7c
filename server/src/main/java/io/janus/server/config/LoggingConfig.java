package io.janus.server.config;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code logging_config} section.
 *
 * @param forceJsonOutput log one JSON object per line even on a terminal (default false: JSON only when standard
 *     output is not a terminal)
 * @param stackdriverJsonOutput log JSON in Google Cloud Logging's shape ({@code time}, {@code severity},
 *     {@code message}) instead of the default JSON shape; implies JSON (default false)
 * @param openTelemetryConfig where to export traces; none means tracing is off
 */
@ConfigIgnoredKeys({
    "tokio_console_config: a Tokio debugging console; the JVM has its own tools (jcmd, JFR)",
    "chrome: Chrome trace output of Janus's tracing crate; export traces with open_telemetry_config instead"})
public record LoggingConfig(
    @ConfigDefault("false") boolean forceJsonOutput,
    @ConfigDefault("false") boolean stackdriverJsonOutput,
    Optional<OpenTelemetryConfig> openTelemetryConfig) {

  /**
   * The {@code logging_config.open_telemetry_config} section.
   *
   * @param otlp export spans over OTLP/gRPC
   */
  public record OpenTelemetryConfig(OtlpConfig otlp) {}

  /**
   * An OTLP/gRPC exporter target. {@code toString} hides the metadata values, which often carry credentials.
   *
   * @param endpoint the collector's URL, e.g. {@code http://localhost:4317}
   * @param metadata gRPC metadata (headers) sent with every export request
   */
  public record OtlpConfig(String endpoint, Map<String, String> metadata) {
    /** Checks that the endpoint is an http(s) URL and copies the metadata. */
    public OtlpConfig {
      if (!(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
        throw new InvalidConfigValueException("endpoint", "must be an http:// or https:// URL");
      }
      metadata = Map.copyOf(metadata);
    }

    @Override
    public String toString() {
      return "OtlpConfig[endpoint=" + endpoint + ", metadata=" + metadata.keySet() + " (values redacted)]";
    }
  }
}
