package io.janus.server.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RunningBinaryTest {
  private static final RunningBinary.Started SERVING =
      new RunningBinary.Started(new SimpleMeterRegistry(), OptionalInt.of(1234), OptionalInt.empty());

  @Test
  void startReturnsOnceTheBodyServesAndCloseStopsIt() throws Exception {
    Stopper stopper = new Stopper();
    RunningBinary b = RunningBinary.start("serving", stopper, started -> {
      started.accept(SERVING);
      stopper.awaitStop();
    });

    assertThat(b.isRunning()).isTrue();
    assertThat(b.port()).hasValue(1234);
    assertThat(b.healthCheckPort()).isEmpty();
    b.close();
    assertThat(stopper.isStopped()).isTrue();
    assertThat(b.isRunning()).isFalse();
    b.await();
    b.close();
  }

  @Test
  void aFailureBeforeServingFailsTheStartWithTheCause() {
    assertThatThrownBy(() -> RunningBinary.start("broken", new Stopper(), started -> {
      throw new IllegalArgumentException("address in use");
    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broken failed to start: address in use")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBodyThatReturnsWithoutServingFailsTheStart() {
    assertThatThrownBy(() -> RunningBinary.start("quitter", new Stopper(), started -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("quitter returned before it served");
  }

  @Test
  void aFailureAfterServingIsRethrownByAwaitAndReportedByClose() {
    Stopper stopper = new Stopper();
    RunningBinary b = RunningBinary.start("crashing", stopper, started -> {
      started.accept(SERVING);
      throw new IllegalStateException("lost the database");
    });

    assertThatThrownBy(b::await).isInstanceOf(IllegalStateException.class).hasMessage("lost the database");
    assertThatThrownBy(b::close).isInstanceOf(IllegalStateException.class)
        .hasMessage("crashing failed: lost the database");
  }
}
