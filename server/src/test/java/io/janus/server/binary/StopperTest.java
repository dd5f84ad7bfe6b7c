package io.janus.server.binary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StopperTest {
  @Test
  void stopReleasesWaitersAndIsSticky() throws Exception {
    Stopper s = new Stopper();
    assertThat(s.isStopped()).isFalse();
    assertThat(s.awaitStop(Duration.ZERO)).isFalse();
    CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
      try {
        s.awaitStop();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    s.stop();
    waiter.get();
    s.stop();
    assertThat(s.isStopped()).isTrue();
    assertThat(s.awaitStop(Duration.ofDays(1))).isTrue();
  }
}
