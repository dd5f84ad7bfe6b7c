package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpMetricsTest {
  @Test
  void namesTheResourceNotThePath() {
    assertThat(HttpMetrics.route("/hpke_config")).isEqualTo("hpke_config");
    assertThat(HttpMetrics.route("/tasks/abc/reports")).isEqualTo("reports");
    assertThat(HttpMetrics.route("/tasks/abc/aggregation_jobs/def")).isEqualTo("aggregation_jobs");
    assertThat(HttpMetrics.route("/tasks/abc/collection_jobs/def")).isEqualTo("collection_jobs");
    assertThat(HttpMetrics.route("/tasks/abc/aggregate_shares")).isEqualTo("aggregate_shares");
  }

  @Test
  void anythingElseIsOther() {
    assertThat(HttpMetrics.route("/")).isEqualTo("other");
    assertThat(HttpMetrics.route("/tasks/abc")).isEqualTo("other");
    assertThat(HttpMetrics.route("/tasks/abc/secret-guess")).isEqualTo("other");
    assertThat(HttpMetrics.route("/favicon.ico")).isEqualTo("other");
  }
}
