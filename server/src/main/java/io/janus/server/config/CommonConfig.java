package io.janus.server.config;

/**
 * The configuration keys every binary shares (Janus's {@code CommonConfig}). A binary's own configuration record
 * embeds it with {@link ConfigFlatten}, so these keys sit at the top level of its YAML file.
 *
 * @param database how to reach PostgreSQL
 * @param maxTransactionRetries how often one transaction may be retried on serialization failure or deadlock
 *     before it fails (default 1000: a guard against retry loops, not a tuning knob)
 * @param healthCheckListenAddress where {@code /healthz} is served (default 127.0.0.1:9001)
 * @param loggingConfig log format and trace export
 * @param metricsConfig metrics export
 */
@ConfigIgnoredKeys({"thread_pool_stack_size: the JVM sizes thread stacks itself (set -Xss in JAVA_OPTS)"})
public record CommonConfig(
    DatabaseConfig database,
    @ConfigDefault("1000") int maxTransactionRetries,
    @ConfigDefault("127.0.0.1:9001") ListenAddress healthCheckListenAddress,
    LoggingConfig loggingConfig,
    MetricsConfig metricsConfig) implements BinaryConfig {
  /** Validates the ranges. */
  public CommonConfig {
    if (maxTransactionRetries < 0) {
      throw new InvalidConfigValueException("max_transaction_retries", "must not be negative");
    }
  }

  /** Returns this record: a binary with no keys of its own can use {@code CommonConfig} as its config. */
  @Override
  public CommonConfig common() {
    return this;
  }
}
