package io.janus.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the YAML configuration of each in-process binary. The files use the same keys as {@code samples/}, but
 * with loopback addresses and intervals of a second or two, so that one run completes in seconds instead of the
 * minutes a production cadence would take.
 */
final class ConfigFiles {
  /** Shards per batch aggregation; the same in every binary, as the collection job driver needs at least as many. */
  static final int SHARDS = 4;

  private ConfigFiles() {}

  /** The keys every binary shares: database, health check and metrics on one loopback port, logging. */
  static String common(String databaseUrl, int healthPort) {
    return """
        database:
          url: "%s"
          connection_pool_timeouts_s: 30
          check_schema_version: true
        max_transaction_retries: 1000
        health_check_listen_address: "127.0.0.1:%d"
        logging_config:
          force_json_output: false
        # /metrics on the health check port.
        metrics_config:
          exporter:
            prometheus:
              host: "127.0.0.1"
              port: %d
        """.formatted(databaseUrl, healthPort, healthPort);
  }

  /** The {@code aggregator} binary serving the DAP API on {@code listenPort}. */
  static String aggregator(String databaseUrl, int healthPort, int listenPort) {
    return common(databaseUrl, healthPort) + """
        listen_address: "127.0.0.1:%d"
        max_upload_batch_size: 100
        max_upload_batch_write_delay_ms: 50
        batch_aggregation_shard_count: %d
        task_counter_shard_count: 4
        task_cache_ttl_s: 5
        hpke_configs_refresh_interval: 5000
        """.formatted(listenPort, SHARDS);
  }

  /** The {@code aggregation_job_creator}: a round every second, any remainder becomes a job at once. */
  static String aggregationJobCreator(String databaseUrl, int healthPort) {
    return common(databaseUrl, healthPort) + """
        batch_aggregation_shard_count: %d
        tasks_update_frequency_s: 1
        aggregation_job_creation_interval_s: 1
        min_aggregation_job_size: 1
        max_aggregation_job_size: 100
        aggregation_job_creation_report_window: 5000
        late_report_grace_period_units: 0
        """.formatted(SHARDS);
  }

  /** The job driver keys both drivers share: look for work every second, retry the Helper quickly. */
  private static String jobDriver() {
    return """
        job_discovery_interval_s: 1
        max_concurrent_job_workers: 4
        worker_lease_duration_s: 60
        worker_lease_clock_skew_allowance_s: 5
        maximum_attempts_before_failure: 5
        http_request_connection_timeout_s: 5
        http_request_timeout_s: 30
        retry_initial_interval_ms: 100
        retry_max_interval_ms: 1000
        retry_max_elapsed_time_ms: 10000
        """;
  }

  /** The {@code aggregation_job_driver}. */
  static String aggregationJobDriver(String databaseUrl, int healthPort) {
    return common(databaseUrl, healthPort) + jobDriver() + """
        batch_aggregation_shard_count: %d
        """.formatted(SHARDS);
  }

  /** The {@code collection_job_driver}: an incomplete batch is looked at again after a second. */
  static String collectionJobDriver(String databaseUrl, int healthPort) {
    return common(databaseUrl, healthPort) + jobDriver() + """
        batch_aggregation_shard_count: %d
        min_collection_job_retry_delay_s: 1
        max_collection_job_retry_delay_s: 1
        collection_job_retry_delay_exponential_factor: 1.0
        """.formatted(SHARDS);
  }

  /** A {@code janus_cli} configuration for the same database: only the database keys matter to the CLI. */
  static String janusCli(String databaseUrl) {
    return """
        database:
          url: "%s"
          check_schema_version: true
        """.formatted(databaseUrl);
  }

  /** Writes {@code text} to {@code file}, creating parent directories. */
  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }
}
