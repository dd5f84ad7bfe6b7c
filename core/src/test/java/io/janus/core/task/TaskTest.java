package io.janus.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.testing.Fixtures;
import io.janus.messages.DapDuration;
import io.janus.messages.Role;
import io.janus.messages.Time;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TaskTest {
  private final Fixtures f = new Fixtures();

  @Test
  void leaderNeedsItsTokensAndNoHelperHash() {
    Task leader = f.leaderTask().build();
    assertThat(leader.aggregatorAuthToken()).isPresent();
    assertThatThrownBy(() -> leader.toBuilder().aggregatorAuthTokenHash(f.token().hash()).build())
        .isInstanceOf(IllegalArgumentException.class);
    Task helper = f.helperTask().build();
    assertThatThrownBy(() -> helper.toBuilder().aggregatorAuthToken(f.token()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helper.toBuilder().collectorAuthTokenHash(f.token().hash()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helper.toBuilder().role(Role.COLLECTOR).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validatesParameters() {
    assertThatThrownBy(() -> f.leaderTask().timePrecision(DapDuration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.leaderTask().maxBatchQueryCount(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.leaderTask().hpkeKeys(List.of(f.hpkeKeypair(3), f.hpkeKeypair(3))).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate HPKE config id 3");
    assertThatThrownBy(() -> new QueryType.FixedSize(OptionalLong.of(0), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void copiesTheVerifyKeyAndRedactsSecretsInToString() {
    byte[] key = f.bytes(16);
    Task t = f.leaderTask().vdafVerifyKey(key).build();
    key[0] ^= 1;
    assertThat(t.vdafVerifyKey()).isNotEqualTo(key);
    t.vdafVerifyKey()[0] ^= 1;
    assertThat(t).isEqualTo(t.toBuilder().build());
    assertThat(t.toString()).contains("<redacted>").doesNotContain(t.aggregatorAuthToken().get().token());
  }

  @Test
  void reportExpiryThreshold() {
    Task t = f.leaderTask().reportExpiryAge(DapDuration.ofSeconds(100)).build();
    assertThat(t.reportExpiryThreshold(new Time(1000))).contains(new Time(900));
    assertThat(f.leaderTask().build().reportExpiryThreshold(new Time(1000))).isEmpty();
    assertThat(t.hpkeKey(1)).isPresent();
    assertThat(t.hpkeKey(9)).isEmpty();
  }
}
