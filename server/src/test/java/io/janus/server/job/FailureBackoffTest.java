package io.janus.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureBackoffTest {
  @Test
  void doublesFromInitialUpToMax() {
    FailureBackoff b = new FailureBackoff(Duration.ofMillis(250), Duration.ofSeconds(3));
    assertThat(b.delay(0)).isEqualTo(Duration.ofMillis(250));
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.delay(3)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(3));
    assertThat(b.delay(62)).isEqualTo(Duration.ofSeconds(3));
    assertThat(b.delay(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void zeroInitialNeverWaits() {
    assertThat(new FailureBackoff(Duration.ZERO, Duration.ofSeconds(5)).delay(40)).isEqualTo(Duration.ZERO);
  }

  @Test
  void peerHttpConfigDefaultsMatchDefault() {
    assertThat(new PeerHttpConfig(10, 30, 1000, 30000, 300000).failureBackoff()).isEqualTo(FailureBackoff.DEFAULT);
  }

  @Test
  void rejectsInvalidRanges() {
    assertThatThrownBy(() -> new FailureBackoff(Duration.ofSeconds(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FailureBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
