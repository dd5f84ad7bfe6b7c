package io.janus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.Client;
import io.janus.core.Clock;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The load generator end to end on a small scale: a real Leader on embedded PostgreSQL accepts and stores every
 * pre-generated report sent over several connections. Asserts correctness only, never speed.
 */
class UploadLoadTest {
  @Test
  void everyReportSentIsCreatedAndStored() throws Exception {
    long seed = System.nanoTime();
    System.out.println("UploadLoadTest seed " + seed);
    try (LeaderUnderTest leader = LeaderUnderTest.start(new LeaderUnderTest.Settings(10, 5, 4, "on"), seed)) {
      Client client = Client.builder(leader.task().id(), URI.create("http://127.0.0.1:" + leader.port() + "/"),
              URI.create("http://127.0.0.1:9/"), LeaderUnderTest.TIME_PRECISION, leader.task().vdaf())
          .leaderHpkeConfig(leader.task().hpkeKeys().get(0).config())
          .helperHpkeConfig(leader.helperKey().config())
          .build();
      ReportCorpus corpus = ReportCorpus.generate(client, leader.port(), Clock.SYSTEM.now(), 200, 2);
      // No warm-up and a limit far beyond what 200 uploads need: the corpus bounds the run.
      UploadLoad.Result r = UploadLoad.run(corpus, leader.port(), 8, 0, 600_000_000_000L);
      assertThat(r.statuses()).containsExactly(java.util.Map.entry(201, 200));
      assertThat(r.measured()).isEqualTo(200);
      assertThat(leader.storedReports()).isEqualTo(200);
      assertThat(r.latency().p50Nanos()).isPositive().isLessThanOrEqualTo(r.latency().p99Nanos());
      assertThat(r.cpuNanos()).isPositive();
    }
  }
}
