package io.janus.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.messages.ReportId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReportIdChecksumTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ReportId ZEROS = new ReportId(new byte[16]);
  private static final ReportId COUNTING = new ReportId(HEX.parseHex("000102030405060708090a0b0c0d0e0f"));

  @Test
  void singleReportIsSha256OfItsId() {
    // SHA-256 of sixteen zero bytes and of 00..0f, computed independently.
    assertThat(ReportIdChecksum.of(ZEROS).encode())
        .isEqualTo(HEX.parseHex("374708fff7719dd5979ec875d56cd2286f6d3cf7ec317a3b25632aab28ec37bb"));
    assertThat(ReportIdChecksum.of(COUNTING).toString())
        .isEqualTo("be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991");
  }

  @Test
  void combiningXorsTheDigests() {
    ReportIdChecksum both = ReportIdChecksum.of(ZEROS).combinedWith(ReportIdChecksum.of(COUNTING));
    assertThat(both.encode())
        .isEqualTo(HEX.parseHex("8902c3d9f2ceab6b2a784cf1cf4422d52caba4a74fed9fc5fec5b383c6d6be2a"));
    assertThat(ReportIdChecksum.empty().updatedWith(ZEROS).updatedWith(COUNTING)).isEqualTo(both);
    // A report added twice cancels out, as XOR does.
    assertThat(both.updatedWith(COUNTING)).isEqualTo(ReportIdChecksum.of(ZEROS));
    assertThat(ReportIdChecksum.empty().encode()).containsOnly(0);
  }

  @Test
  void orderAndGroupingDoNotMatter() {
    long seed = 0x5eed_c5L;
    System.out.println("ReportIdChecksumTest seed " + seed);
    Random random = new Random(seed);
    List<ReportId> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] b = new byte[16];
      random.nextBytes(b);
      ids.add(new ReportId(b));
    }
    ReportIdChecksum inOrder = ReportIdChecksum.empty();
    for (ReportId id : ids) {
      inOrder = inOrder.updatedWith(id);
    }
    Collections.shuffle(ids, random);
    ReportIdChecksum left = ReportIdChecksum.empty();
    ReportIdChecksum right = ReportIdChecksum.empty();
    for (int i = 0; i < ids.size(); i++) {
      if (i < 17) {
        left = left.updatedWith(ids.get(i));
      } else {
        right = right.updatedWith(ids.get(i));
      }
    }
    assertThat(left.combinedWith(right)).as("seed %d", seed).isEqualTo(inOrder).hasSameHashCodeAs(inOrder);
  }

  @Test
  void encodingRoundTripsAndIsCopied() {
    ReportIdChecksum c = ReportIdChecksum.of(COUNTING);
    byte[] encoded = c.encode();
    assertThat(ReportIdChecksum.decode(encoded)).isEqualTo(c);
    encoded[0] ^= 1;
    assertThat(c.encode()).isNotEqualTo(encoded);
    ReportIdChecksum decoded = ReportIdChecksum.decode(encoded);
    encoded[1] ^= 1;
    assertThat(decoded.encode()[1]).isNotEqualTo(encoded[1]);
    assertThatThrownBy(() -> ReportIdChecksum.decode(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReportIdChecksum.decode(new byte[33])).isInstanceOf(IllegalArgumentException.class);
  }
}
