package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.server.config.ConfigException;
import io.janus.server.config.ConfigLoader;
import io.janus.server.config.ListenAddress;
import io.janus.server.config.TaskprovConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AggregatorConfigTest {
  /** The sample operators copy; it lives at the repository root. */
  private static final Path SAMPLE = Path.of("..", "samples", "aggregator.yaml");

  @Test
  void sampleConfigParses() {
    AggregatorConfig c = ConfigLoader.load(SAMPLE, AggregatorConfig.class);
    assertThat(c.listenAddress()).isEqualTo(new ListenAddress("0.0.0.0", 8080));
    assertThat(c.maxUploadBatchSize()).isEqualTo(100);
    assertThat(c.maxUploadBatchWriteDelayMs()).isEqualTo(250);
    assertThat(c.batchAggregationShardCount()).isEqualTo(32);
    assertThat(c.taskCounterShardCount()).isEqualTo(32);
    assertThat(c.common().maxTransactionRetries()).isEqualTo(1000);
    assertThat(c.taskCacheTtlS()).isEqualTo(600);
    assertThat(c.taskCacheCapacity()).isEqualTo(10000);
    assertThat(c.hpkeConfigsRefreshInterval()).isEqualTo(1_800_000);
    assertThat(Aggregator.Settings.of(c).taskCacheTtlMillis()).isEqualTo(600_000);
    assertThat(c.taskprovConfig()).contains(new TaskprovConfig(false, false));
    assertThat(c.helperAggregationMode()).isEqualTo(HelperAggregationMode.SYNCHRONOUS);
  }

  @Test
  void helperAggregationModeIsSynchronousUnlessSet() {
    String base = """
        database: {url: "postgres://localhost/janus"}
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 10
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        """;
    assertThat(Aggregator.Settings.of(ConfigLoader.parse(base, "inline", AggregatorConfig.class))
        .helperAggregationMode()).isEqualTo(HelperAggregationMode.SYNCHRONOUS);
    assertThat(Aggregator.Settings.of(ConfigLoader.parse(base + "helper_aggregation_mode: asynchronous\n", "inline",
        AggregatorConfig.class)).helperAggregationMode()).isEqualTo(HelperAggregationMode.ASYNCHRONOUS);
    assertThatThrownBy(() -> ConfigLoader.parse(base + "helper_aggregation_mode: later\n", "inline",
        AggregatorConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("helper_aggregation_mode");
  }

  @Test
  void taskprovIsOffUnlessEnabled() {
    String base = """
        database: {url: "postgres://localhost/janus"}
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 10
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        """;
    AggregatorConfig off = ConfigLoader.parse(base, "inline", AggregatorConfig.class);
    assertThat(off.taskprov()).isEqualTo(TaskprovConfig.DISABLED);
    assertThat(Aggregator.Settings.of(off).taskprov().enabled()).isFalse();
    AggregatorConfig on = ConfigLoader.parse(base + "taskprov_config: {enabled: true}\n", "inline",
        AggregatorConfig.class);
    assertThat(Aggregator.Settings.of(on).taskprov()).isEqualTo(new TaskprovConfig(true, false));
    assertThatThrownBy(() -> ConfigLoader.parse(base + "taskprov_config: {enabeld: true}\n", "inline",
        AggregatorConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("enabeld");
  }

  @Test
  void optionalKeysTakeJanusDefaults() {
    AggregatorConfig c = ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 10
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        """, "inline", AggregatorConfig.class);
    assertThat(c.taskCounterShardCount()).isEqualTo(32);
    assertThat(c.taskCacheTtlS()).isEqualTo(600);
    assertThat(c.taskCacheCapacity()).isEqualTo(10000);
    assertThat(c.hpkeConfigsRefreshInterval()).isEqualTo(1_800_000);
  }

  @Test
  void rejectsAnUnknownKeyNamingIt() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 10
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        max_upload_batch_sise: 3
        """, "inline", AggregatorConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max_upload_batch_sise");
  }

  @Test
  void rejectsAZeroBatchSize() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        database: {url: "postgres://localhost/janus"}
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 0
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        """, "inline", AggregatorConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max_upload_batch_size");
  }

  @Test
  void theAdminApiIsServedUnderAPathPrefixOrOnItsOwnListener() {
    String base = """
        database: {url: "postgres://localhost/janus"}
        listen_address: "127.0.0.1:0"
        max_upload_batch_size: 10
        max_upload_batch_write_delay_ms: 5
        batch_aggregation_shard_count: 4
        """;
    AggregatorConfig prefixed = ConfigLoader.parse(base + """
        aggregator_api: {path_prefix: "/aggregator-api/", public_dap_url: "https://dap.example/"}
        """, "inline", AggregatorConfig.class);
    assertThat(prefixed.aggregatorApi().orElseThrow().pathPrefix()).hasValue("aggregator-api");
    AggregatorConfig own = ConfigLoader.parse(base + """
        aggregator_api: {listen_address: "0.0.0.0:8081", public_dap_url: "https://dap.example/"}
        """, "inline", AggregatorConfig.class);
    assertThat(own.aggregatorApi().orElseThrow().listenAddress()).hasValue(new ListenAddress("0.0.0.0", 8081));
    assertThatThrownBy(() -> ConfigLoader.parse(base + """
        aggregator_api: {listen_address: "0.0.0.0:8081", path_prefix: "api", public_dap_url: "https://d.example/"}
        """, "inline", AggregatorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("exactly one of");
    assertThatThrownBy(() -> ConfigLoader.parse(base + """
        aggregator_api: {path_prefix: "api"}
        """, "inline", AggregatorConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("public_dap_url");
  }

  @Test
  void adminApiTokensAreCommaSeparatedBearerTokensNamedByPositionWhenBad() {
    assertThat(io.janus.aggregator.api.AggregatorApi.parseTokens("YWJj, ZGVm,,")).containsExactly("YWJj", "ZGVm");
    assertThat(io.janus.aggregator.api.AggregatorApi.parseTokens(null)).isEmpty();
    assertThatThrownBy(() -> io.janus.aggregator.api.AggregatorApi.parseTokens("YWJj,bad token"))
        .hasMessageContaining("AGGREGATOR_API_AUTH_TOKENS: entry 2").hasMessageNotContaining("bad token");
  }
}
