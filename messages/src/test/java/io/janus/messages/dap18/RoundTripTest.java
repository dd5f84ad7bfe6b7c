package io.janus.messages.dap18;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.messages.Encodable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every DAP-18 wire type survives encode then decode unchanged, for many random values covering every variant. */
class RoundTripTest {
  static final List<Samples.Codec> CODECS = Samples.ALL;

  @ParameterizedTest(name = "{0}")
  @FieldSource("CODECS")
  void randomValuesRoundTrip(Samples.Codec codec) {
    long seed = new SplittableRandom().nextLong();
    System.out.println(codec.name() + " round-trip seed: " + seed);
    RandomGenerator rng = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      Encodable value = codec.generator().apply(rng);
      byte[] encoded = value.toBytes();
      Object decoded = codec.decoder().apply(encoded);
      assertThat(decoded).as("seed %d, value %s", seed, value).isEqualTo(value);
      assertThat(decoded.hashCode()).as("seed %d", seed).isEqualTo(value.hashCode());
      assertThat(((Encodable) decoded).toBytes()).as("seed %d", seed).isEqualTo(encoded);
      assertThat(decoded.toString()).isEqualTo(value.toString());
    }
  }
}
