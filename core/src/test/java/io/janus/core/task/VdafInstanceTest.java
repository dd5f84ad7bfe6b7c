package io.janus.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VdafInstanceTest {
  static Stream<Arguments> stableForms() {
    return Stream.of(
        Arguments.of(new VdafInstance.Prio3Count(), "\"Prio3Count\""),
        Arguments.of(new VdafInstance.Prio3Sum(8), "{\"Prio3Sum\":{\"bits\":8}}"),
        Arguments.of(new VdafInstance.Prio3SumVec(16, 1000, 31),
            "{\"Prio3SumVec\":{\"bits\":16,\"length\":1000,\"chunk_length\":31}}"),
        Arguments.of(new VdafInstance.Prio3Histogram(10, 3),
            "{\"Prio3Histogram\":{\"length\":10,\"chunk_length\":3}}"),
        // Janus's serde name and field names, so its task JSON reads here.
        Arguments.of(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(3, 8, 100, 10),
            "{\"Prio3SumVecField64MultiproofHmacSha256Aes128\":"
                + "{\"proofs\":3,\"bits\":8,\"length\":100,\"chunk_length\":10}}"),
        // VDAF-18 parameterisations, in the form Janus main stores (DAP-18 tasks).
        Arguments.of(new VdafInstance.Prio3SumMaxMeasurement(255), "{\"Prio3Sum\":{\"max_measurement\":255}}"),
        Arguments.of(new VdafInstance.Prio3SumVecMaxMeasurement(4611686018427387904L, 1000, 31),
            "{\"Prio3SumVec\":{\"max_measurement\":4611686018427387904,\"length\":1000,\"chunk_length\":31}}"),
        Arguments.of(new VdafInstance.Prio3MultihotCountVec(10, 3, 4),
            "{\"Prio3MultihotCountVec\":{\"length\":10,\"max_weight\":3,\"chunk_length\":4}}"));
  }

  @ParameterizedTest
  @MethodSource("stableForms")
  void jsonFormIsStableAndRoundTrips(VdafInstance vdaf, String json) {
    assertThat(vdaf.toJson()).isEqualTo(json);
    assertThat(VdafInstance.fromJson(json)).isEqualTo(vdaf);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"Poplar1\"", "{\"Prio3Sum\":{}}", "{\"Prio3Sum\":{\"bits\":0}}", "{\"Prio3Sum\":{\"bits\":65}}",
      "{\"Prio3Sum\":{\"bits\":8,\"extra\":1}}", "{\"Prio3Histogram\":{\"length\":0,\"chunk_length\":1}}",
      "{\"Prio3Sum\":{\"bits\":\"8\"}}", "[]",
      "{\"Prio3SumVecField64MultiproofHmacSha256Aes128\":{\"proofs\":1,\"bits\":8,\"length\":4,\"chunk_length\":2}}",
      "{\"Prio3SumVecField64MultiproofHmacSha256Aes128\":{\"bits\":8,\"length\":4,\"chunk_length\":2}}",
      "{\"Prio3Count\":null,\"Prio3Sum\":{\"bits\":1}}", "not json", "",
      "{\"Prio3Sum\":{\"max_measurement\":0}}", "{\"Prio3Sum\":{\"max_measurement\":4611686018427387905}}",
      "{\"Prio3Sum\":{\"max_measurement\":8,\"bits\":3}}",
      "{\"Prio3SumVec\":{\"max_measurement\":8,\"length\":2}}",
      "{\"Prio3MultihotCountVec\":{\"length\":3,\"max_weight\":4,\"chunk_length\":1}}",
      "{\"Prio3MultihotCountVec\":{\"length\":3,\"max_weight\":0,\"chunk_length\":1}}"})
  void rejectsInvalidJson(String json) {
    assertThatThrownBy(() -> VdafInstance.fromJson(json)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"Prio3Count\":{}}"})
  void acceptsObjectFormOfParameterlessVdaf(String json) {
    assertThat(VdafInstance.fromJson(json)).isEqualTo(new VdafInstance.Prio3Count());
  }
}
