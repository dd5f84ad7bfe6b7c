package io.janus.vdaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every Prio3 test vector of draft-irtf-cfrg-vdaf-18 (copied from the draft's test_vec/vdaf, identical
 * through draft 20) by replaying its {@code operations} list: shard, verify_init per aggregator,
 * verifier_shares_to_message, verify_next, aggregate and unshard, checking each step's output against the file.
 * An operation marked {@code success: false} (the {@code *_bad_*} files) must throw {@link VdafException} at that
 * step. Two-aggregator vectors that succeed are replayed through the ping-pong topology as well.
 */
class Prio3Draft18VectorTest {
  private static final String DIR = "/test-vectors/vdaf/draft-18";
  private static final HexFormat HEX = HexFormat.of();

  /** Every Prio3 file in the directory, so that a vector added there is run without touching this test. */
  static Stream<String> vectorFiles() throws IOException, URISyntaxException {
    Path dir = Path.of(Prio3Draft18VectorTest.class.getResource(DIR).toURI());
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("Prio3") && n.endsWith(".json"))
          .sorted()
          .forEach(names::add);
    }
    assertThat(names).as("draft-18 vectors").hasSizeGreaterThanOrEqualTo(25);
    return names.stream();
  }

  private static Prio3 vdafFor(String file, JsonNode root) {
    String variant = file.substring(0, file.indexOf('_'));
    Prio3 vdaf = switch (variant) {
      case "Prio3Count" -> Prio3Draft18.count();
      case "Prio3Sum" -> Prio3Draft18.sum(root.get("max_measurement").asLong());
      case "Prio3SumVec" -> Prio3Draft18.sumVec(root.get("length").asInt(), root.get("max_measurement").asLong(),
          root.get("chunk_length").asInt());
      case "Prio3Histogram" -> Prio3Draft18.histogram(root.get("length").asInt(), root.get("chunk_length").asInt());
      case "Prio3MultihotCountVec" -> Prio3Draft18.multihotCountVec(root.get("length").asInt(),
          root.get("max_weight").asInt(), root.get("chunk_length").asInt());
      // Generated with Field64 and 3 proofs (poc/gen_test_vec.py); the JSON does not carry either.
      case "Prio3SumVecWithMultiproof" -> Prio3Draft18.sumVecMultiproof(3, root.get("length").asInt(),
          root.get("max_measurement").asLong(), root.get("chunk_length").asInt());
      case "Prio3HigherDegree" -> Prio3Draft18.higherDegree();
      default -> throw new IllegalArgumentException("unknown vector " + file);
    };
    return vdaf.withShares(root.get("shares").asInt());
  }

  private static long[] longs(JsonNode n) {
    if (n.isArray()) {
      long[] out = new long[n.size()];
      for (int i = 0; i < out.length; i++) {
        JsonNode e = n.get(i);
        out[i] = e.isBoolean() ? (e.asBoolean() ? 1 : 0) : e.asLong();
      }
      return out;
    }
    return new long[] {n.asLong()};
  }

  private static byte[] hex(JsonNode n) {
    return HEX.parseHex(n.asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorFiles")
  void vector(String file) throws Exception {
    JsonNode root;
    try (var in = getClass().getResourceAsStream(DIR + "/" + file)) {
      root = new ObjectMapper().readTree(in);
    }
    Prio3 vdaf = vdafFor(file, root);
    int shares = vdaf.shares();
    byte[] ctx = hex(root.get("ctx"));
    byte[] verifyKey = hex(root.get("verify_key"));
    JsonNode reports = root.get("reports");
    int n = reports.size();
    byte[][][] states = new byte[n][shares][];
    byte[][][] verifierShares = new byte[n][shares][];
    OutputShare[][] outs = new OutputShare[n][shares];
    byte[][] aggShares = new byte[shares][];
    boolean allSucceed = true;
    JsonNode ops = root.get("operations");
    assertThat(ops).as(file + " operations").isNotEmpty();

    for (JsonNode op : ops) {
      String name = op.get("operation").asText();
      boolean success = op.get("success").asBoolean();
      allSucceed &= success;
      int r = op.has("report_index") ? op.get("report_index").asInt() : -1;
      int j = op.has("aggregator_id") ? op.get("aggregator_id").asInt() : -1;
      JsonNode rep = r >= 0 ? reports.get(r) : null;
      String at = file + " " + name + (r >= 0 ? " report " + r : "") + (j >= 0 ? " aggregator " + j : "") + ": ";
      switch (name) {
        case "shard" -> {
          assertThat(success).as(at + "only successful sharding is vectored").isTrue();
          Prio3.Shard shard =
              vdaf.shard(ctx, longs(rep.get("measurement")), hex(rep.get("nonce")), hex(rep.get("rand")));
          assertThat(HEX.formatHex(shard.publicShare())).as(at + "public_share")
              .isEqualTo(rep.get("public_share").asText());
          for (int k = 0; k < shares; k++) {
            assertThat(HEX.formatHex(shard.inputShares().get(k))).as(at + "input_share " + k)
                .isEqualTo(rep.get("input_shares").get(k).asText());
          }
        }
        case "verify_init" -> {
          Step<Prio3.PrepInit> init = () -> vdaf.prepInit(verifyKey, ctx, j, hex(rep.get("nonce")),
              hex(rep.get("public_share")), hex(rep.get("input_shares").get(j)));
          if (success) {
            Prio3.PrepInit p = init.run();
            assertThat(HEX.formatHex(p.prepShare())).as(at + "verifier_share")
                .isEqualTo(rep.get("verifier_shares").get(0).get(j).asText());
            states[r][j] = p.prepState();
            verifierShares[r][j] = p.prepShare();
          } else {
            assertThatThrownBy(init::run).as(at + "must reject").isInstanceOf(VdafException.class);
          }
        }
        case "verifier_shares_to_message" -> {
          List<byte[]> received = new ArrayList<>();
          for (int k = 0; k < shares; k++) {
            received.add(hex(rep.get("verifier_shares").get(0).get(k)));
          }
          if (success) {
            assertThat(HEX.formatHex(vdaf.prepSharesToPrep(ctx, received))).as(at + "verifier_message")
                .isEqualTo(rep.get("verifier_messages").get(0).asText());
          } else {
            assertThatThrownBy(() -> vdaf.prepSharesToPrep(ctx, received)).as(at + "must reject")
                .isInstanceOf(VdafException.class);
          }
        }
        case "verify_next" -> {
          assertThat(states[r][j]).as(at + "state from verify_init").isNotNull();
          byte[] message = hex(rep.get("verifier_messages").get(0));
          if (success) {
            outs[r][j] = vdaf.prepNext(states[r][j], message);
            assertThat(HEX.formatHex(outs[r][j].encode())).as(at + "out_share")
                .isEqualTo(rep.get("out_shares").get(j).asText());
          } else {
            assertThatThrownBy(() -> vdaf.prepNext(states[r][j], message)).as(at + "must reject")
                .isInstanceOf(VdafException.class);
          }
        }
        case "aggregate" -> {
          assertThat(success).as(at + "only successful aggregation is vectored").isTrue();
          AggregateShare agg = vdaf.aggregateShare();
          for (int k = 0; k < n; k++) {
            agg.add(outs[k][j]);
          }
          aggShares[j] = agg.encode();
          assertThat(HEX.formatHex(aggShares[j])).as(at + "agg_share")
              .isEqualTo(root.get("agg_shares").get(j).asText());
        }
        case "unshard" -> {
          assertThat(success).as(at + "only successful unsharding is vectored").isTrue();
          List<byte[]> encoded = new ArrayList<>();
          root.get("agg_shares").forEach(s -> encoded.add(hex(s)));
          assertThat(vdaf.unshard(encoded, n)).as(at + "agg_result").containsExactly(longs(root.get("agg_result")));
        }
        default -> throw new AssertionError(at + "unknown operation");
      }
    }

    if (file.contains("_bad_")) {
      assertThat(allSucceed).as(file + " must target a failing step").isFalse();
    }
    if (allSucceed && shares == 2) {
      for (int r = 0; r < n; r++) {
        JsonNode rep = reports.get(r);
        byte[] nonce = hex(rep.get("nonce"));
        byte[] publicShare = hex(rep.get("public_share"));
        Prio3.LeaderInitialized leader =
            vdaf.leaderInitialized(verifyKey, ctx, nonce, publicShare, hex(rep.get("input_shares").get(0)));
        Prio3.HelperInitialized helper = vdaf.helperInitialized(verifyKey, ctx, nonce, publicShare,
            hex(rep.get("input_shares").get(1)), leader.message());
        OutputShare leaderOut = vdaf.leaderContinued(leader.prepState(), helper.message());
        assertThat(HEX.formatHex(leaderOut.encode())).as(file + " report " + r + " ping-pong leader out_share")
            .isEqualTo(rep.get("out_shares").get(0).asText());
        assertThat(HEX.formatHex(helper.outputShare().encode())).as(file + " report " + r
            + " ping-pong helper out_share").isEqualTo(rep.get("out_shares").get(1).asText());
      }
    }
  }

  /** One VDAF step that may reject. */
  private interface Step<T> {
    T run() throws VdafException;
  }
}
