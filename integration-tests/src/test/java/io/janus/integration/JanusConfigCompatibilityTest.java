package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.aggregationjobcreator.AggregationJobCreatorConfig;
import io.janus.aggregationjobdriver.AggregationJobDriverConfig;
import io.janus.aggregator.AggregatorConfig;
import io.janus.collectionjobdriver.CollectionJobDriverConfig;
import io.janus.garbagecollector.GarbageCollectorConfig;
import io.janus.keyrotator.KeyRotatorConfig;
import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator's Janus 0.7 configuration files load unchanged: every key of Janus's basic and advanced sample
 * configurations, for every binary. Keys that mean something here take effect (some under Janus's older name);
 * keys that mean nothing here are accepted with exactly one warning each, naming the key; anything else is still an
 * error.
 */
class JanusConfigCompatibilityTest {
  /** The keys every Janus 0.7 binary shares, with every optional section its advanced samples show. */
  private static final String COMMON = """
      database:
        url: "postgres://janus:secret@db.example:5432/janus"
        connection_pool_timeouts_s: 30
        connection_pool_max_size: 6
        check_schema_version: true
        tls_trust_store_path: /etc/janus/db-ca.pem
      max_transaction_retries: 500
      health_check_listen_address: "0.0.0.0:8000"
      logging_config:
        force_json_output: true
        stackdriver_json_output: false
        tokio_console_config:
          enabled: false
          listen_address: "127.0.0.1:6669"
        open_telemetry_config:
          otlp:
            endpoint: "https://otel.example:4317"
        chrome: false
      metrics_config:
        exporter:
          prometheus:
            host: "0.0.0.0"
            port: 9464
        tokio:
          enabled: false
          enable_poll_time_histogram: false
          poll_time_histogram:
            linear:
              resolution_us: 100
              num_buckets: 10
      thread_pool_stack_size: 2097152
      """;

  private static final List<String> COMMON_IGNORED = List.of("logging_config.tokio_console_config",
      "logging_config.chrome", "metrics_config.tokio", "thread_pool_stack_size");

  private static final String JOB_DRIVER = """
      job_discovery_interval_s: 10
      max_concurrent_job_workers: 10
      worker_lease_duration_s: 600
      worker_lease_clock_skew_allowance_s: 60
      maximum_attempts_before_failure: 10
      http_request_connection_timeout_s: 10
      http_request_timeout_s: 30
      retry_initial_interval_ms: 1000
      retry_max_interval_ms: 30000
      retry_max_elapsed_time_ms: 300000
      batch_aggregation_shard_count: 32
      """;

  private static <C extends Record> List<String> ignoredKeys(String yaml, Class<C> type) {
    List<String> warnings = new ArrayList<>();
    ConfigLoader.parse(yaml, "janus.yaml", type, warnings::add);
    return warnings.stream().map(w -> w.replaceAll("^janus\\.yaml:\\d+:\\d+: ", "").replaceAll(": ignored: .*", ""))
        .toList();
  }

  @Test
  void aJanusAggregatorConfigurationLoadsWithOneWarningPerKeyWithoutEffect() {
    String yaml = COMMON + """
        listen_address: "0.0.0.0:8080"
        aggregator_api:
          listen_address: "0.0.0.0:8081"
          public_dap_url: "https://dap.example/"
        max_upload_batch_size: 100
        max_upload_batch_write_delay_ms: 250
        batch_aggregation_shard_count: 32
        max_future_concurrency: 10000
        task_counter_shard_count: 32
        taskprov_config:
          enabled: false
        log_forbidden_mutations: "/tmp/event-storage"
        garbage_collection:
          gc_frequency_s: 60
          report_limit: 5000
          aggregation_limit: 500
          collection_limit: 50
          tasks_per_tx: 1
          concurrent_tx_limit: null
        key_rotator:
          frequency_s: 3600
          hpke:
            pending_duration_s: 3600
        global_hpke_configs_refresh_interval: 60000
        task_cache_ttl_s: 600
        task_cache_capacity: 10000
        helper_aggregation_request_queue:
          concurrency: 1
          depth: 24
          timeout_ms: 300000
        """;
    AggregatorConfig c = ConfigLoader.parse(yaml, "janus.yaml", AggregatorConfig.class, w -> { });
    assertThat(c.hpkeConfigsRefreshInterval()).as("Janus 0.7's name for the key").isEqualTo(60_000);
    assertThat(c.aggregatorApi()).isPresent();
    assertThat(c.common().database().tlsTrustStorePath()).isPresent();
    List<String> expected = new ArrayList<>(COMMON_IGNORED);
    expected.addAll(List.of("max_future_concurrency", "log_forbidden_mutations",
        "garbage_collection", "key_rotator"));
    assertThat(ignoredKeys(yaml, AggregatorConfig.class)).containsExactlyInAnyOrderElementsOf(expected);

    assertThatThrownBy(() -> ConfigLoader.parse(yaml + "hpke_configs_refresh_interval: 5\n", "janus.yaml",
        AggregatorConfig.class, w -> { })).isInstanceOf(ConfigException.class).hasMessageContaining("give only one");
    assertThatThrownBy(() -> ConfigLoader.parse(yaml + "max_upload_batch_sise: 5\n", "janus.yaml",
        AggregatorConfig.class, w -> { })).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
  }

  @Test
  void janusJobBinaryConfigurationsLoad() {
    String creator = COMMON + """
        batch_aggregation_shard_count: 32
        tasks_update_frequency_s: 3600
        aggregation_job_creation_interval_s: 60
        min_aggregation_job_size: 10
        max_aggregation_job_size: 100
        aggregation_job_creation_report_window: 5000
        late_report_grace_period_s: 1800
        """;
    AggregationJobCreatorConfig c = ConfigLoader.parse(creator, "janus.yaml", AggregationJobCreatorConfig.class,
        w -> { });
    assertThat(c.settings().gracePeriodSeconds()).hasValue(1800);
    assertThat(ignoredKeys(creator, AggregationJobCreatorConfig.class))
        .containsExactlyInAnyOrderElementsOf(COMMON_IGNORED);

    String aggregationDriver = COMMON + JOB_DRIVER + "task_counter_shard_count: 32\n";
    assertThat(ignoredKeys(aggregationDriver, AggregationJobDriverConfig.class))
        .containsExactlyInAnyOrderElementsOf(COMMON_IGNORED);

    String collectionDriver = COMMON + JOB_DRIVER + """
        max_future_concurrency: 10000
        min_collection_job_retry_delay_s: 600
        max_collection_job_retry_delay_s: 3600
        collection_job_retry_delay_exponential_factor: 1.25
        """;
    List<String> expected = new ArrayList<>(COMMON_IGNORED);
    expected.add("max_future_concurrency");
    assertThat(ignoredKeys(collectionDriver, CollectionJobDriverConfig.class))
        .containsExactlyInAnyOrderElementsOf(expected);

    String gc = COMMON + """
        garbage_collection:
          gc_frequency_s: 60
          report_limit: 5000
          aggregation_limit: 500
          collection_limit: 50
          tasks_per_tx: 1
          concurrent_tx_limit: null
        """;
    assertThat(ignoredKeys(gc, GarbageCollectorConfig.class)).containsExactlyInAnyOrderElementsOf(COMMON_IGNORED);

    String rotator = COMMON + """
        key_rotator:
          hpke:
            pending_duration_s: 3600
            active_duration_s: 7257600
            expired_duration_s: 604800
            ciphersuites:
              - kem_id: X25519HkdfSha256
                kdf_id: HkdfSha256
                aead_id: Aes128Gcm
        """;
    assertThat(ignoredKeys(rotator, KeyRotatorConfig.class)).containsExactlyInAnyOrderElementsOf(COMMON_IGNORED);
    assertThat(ignoredKeys("database: {url: \"postgres://localhost/janus\"}\nkey_rotator: {hpke: {}}\n",
        KeyRotatorConfig.class)).as("Janus's basic sample").isEmpty();
  }
}
