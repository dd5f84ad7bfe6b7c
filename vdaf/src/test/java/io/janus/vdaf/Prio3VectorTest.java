package io.janus.vdaf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every Prio3 test vector of draft-irtf-cfrg-vdaf-08 (copied from the draft's poc/test_vec/08), and the
 * libprio 0.16.8 vectors of Janus's Prio3SumVecField64MultiproofHmacSha256Aes128, through
 * shard, prep_init, prep_shares_to_prep, prep_next, aggregation and unshard, checking every intermediate value;
 * two-aggregator vectors are also replayed through the ping-pong topology.
 */
class Prio3VectorTest {
  private static final String DIR = "/test-vectors/vdaf/";
  private static final HexFormat HEX = HexFormat.of();

  static Stream<String> vectorFiles() {
    return Stream.of(
        "draft-08/Prio3Count_0.json",
        "draft-08/Prio3Count_1.json",
        "draft-08/Prio3Sum_0.json",
        "draft-08/Prio3Sum_1.json",
        "draft-08/Prio3SumVec_0.json",
        "draft-08/Prio3SumVec_1.json",
        "draft-08/Prio3Histogram_0.json",
        "draft-08/Prio3Histogram_1.json",
        "draft-08/Prio3MultiHotHistogram_0.json",
        "draft-08/Prio3MultiHotHistogram_1.json",
        "draft-08/Prio3SumVecWithMultiproof_0.json",
        "libprio-extensions/Prio3SumVecField64MultiproofHmacSha256Aes128_0.json",
        "libprio-extensions/Prio3SumVecField64MultiproofHmacSha256Aes128_1.json");
  }

  /** A parsed vector file: test-only typed view of the JSON. */
  record Vector(String file, Prio3 vdaf, byte[] verifyKey, List<Report> reports, List<String> aggShares,
      long[] aggResult) {}

  /** One report of a vector file. */
  record Report(long[] measurement, byte[] nonce, byte[] rand, String publicShare, List<String> inputShares,
      List<String> prepShares, String prepMessage, List<String> outShares) {}

  static Vector load(String file) throws IOException {
    JsonNode root;
    try (InputStream in = Prio3VectorTest.class.getResourceAsStream(DIR + file)) {
      assertThat(in).as("resource %s", file).isNotNull();
      root = new ObjectMapper().readTree(in);
    }
    Prio3 vdaf = vdafFor(file, root).withShares(root.get("shares").asInt());
    List<Report> reports = new ArrayList<>();
    for (JsonNode p : root.get("prep")) {
      assertThat(p.get("prep_shares")).as("one round").hasSize(1);
      List<String> outShares = new ArrayList<>();
      for (JsonNode share : p.get("out_shares")) {
        StringBuilder sb = new StringBuilder();
        share.forEach(e -> sb.append(e.asText()));
        outShares.add(sb.toString());
      }
      reports.add(new Report(
          longs(p.get("measurement")),
          HEX.parseHex(p.get("nonce").asText()),
          HEX.parseHex(p.get("rand").asText()),
          p.get("public_share").asText(),
          texts(p.get("input_shares")),
          texts(p.get("prep_shares").get(0)),
          p.get("prep_messages").get(0).asText(),
          outShares));
    }
    return new Vector(file, vdaf, HEX.parseHex(root.get("verify_key").asText()), reports,
        texts(root.get("agg_shares")), longs(root.get("agg_result")));
  }

  private static Prio3 vdafFor(String file, JsonNode root) {
    String variant = file.substring(file.indexOf('/') + 1, file.lastIndexOf('_'));
    return switch (variant) {
      case "Prio3Count" -> Prio3.count();
      case "Prio3Sum" -> Prio3.sum(root.get("bits").asInt());
      case "Prio3SumVec" ->
          Prio3.sumVec(root.get("length").asInt(), root.get("bits").asInt(), root.get("chunk_length").asInt());
      case "Prio3Histogram" -> Prio3.histogram(root.get("length").asInt(), root.get("chunk_length").asInt());
      case "Prio3MultiHotHistogram" ->
          Prio3.multiHotHistogram(
              root.get("length").asInt(), root.get("max_count").asInt(), root.get("chunk_length").asInt());
      // The draft-08 reference generated this file last with 4 proofs over Field64 (poc/vdaf_prio3.py).
      case "Prio3SumVecWithMultiproof" ->
          Prio3.sumVecMultiproof(
              4, root.get("length").asInt(), root.get("bits").asInt(), root.get("chunk_length").asInt());
      case "Prio3SumVecField64MultiproofHmacSha256Aes128" ->
          Prio3.sumVecField64MultiproofHmacSha256Aes128(root.get("proofs").asInt(), root.get("length").asInt(),
              root.get("bits").asInt(), root.get("chunk_length").asInt());
      default -> throw new IllegalArgumentException("unknown vector " + file);
    };
  }

  private static long[] longs(JsonNode n) {
    if (n.isArray()) {
      long[] out = new long[n.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = n.get(i).asLong();
      }
      return out;
    }
    return new long[] {Long.parseLong(n.asText())};
  }

  private static List<String> texts(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(e -> out.add(e.asText()));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectorFiles")
  void vector(String file) throws Exception {
    Vector v = load(file);
    Prio3 vdaf = v.vdaf();
    int shares = vdaf.shares();
    List<AggregateShare> aggs = new ArrayList<>();
    for (int j = 0; j < shares; j++) {
      aggs.add(vdaf.aggregateShare());
    }
    for (int r = 0; r < v.reports().size(); r++) {
      Report rep = v.reports().get(r);
      String at = file + " report " + r + " ";
      Prio3.Shard shard = vdaf.shard(rep.measurement(), rep.nonce(), rep.rand());
      assertThat(HEX.formatHex(shard.publicShare())).as(at + "public_share").isEqualTo(rep.publicShare());
      for (int j = 0; j < shares; j++) {
        assertThat(HEX.formatHex(shard.inputShares().get(j))).as(at + "input_share " + j)
            .isEqualTo(rep.inputShares().get(j));
      }
      byte[] publicShare = HEX.parseHex(rep.publicShare());
      List<byte[]> states = new ArrayList<>();
      List<byte[]> prepShares = new ArrayList<>();
      for (int j = 0; j < shares; j++) {
        Prio3.PrepInit init = vdaf.prepInit(v.verifyKey(), j, rep.nonce(), publicShare,
            HEX.parseHex(rep.inputShares().get(j)));
        assertThat(HEX.formatHex(init.prepShare())).as(at + "prep_share " + j).isEqualTo(rep.prepShares().get(j));
        states.add(init.prepState());
        prepShares.add(init.prepShare());
      }
      byte[] prepMessage = vdaf.prepSharesToPrep(prepShares);
      assertThat(HEX.formatHex(prepMessage)).as(at + "prep_message").isEqualTo(rep.prepMessage());
      for (int j = 0; j < shares; j++) {
        OutputShare out = vdaf.prepNext(states.get(j), prepMessage);
        assertThat(HEX.formatHex(out.encode())).as(at + "out_share " + j).isEqualTo(rep.outShares().get(j));
        aggs.get(j).add(out);
      }
      if (shares == 2) {
        Prio3.LeaderInitialized leader =
            vdaf.leaderInitialized(v.verifyKey(), rep.nonce(), publicShare, HEX.parseHex(rep.inputShares().get(0)));
        Prio3.HelperInitialized helper = vdaf.helperInitialized(v.verifyKey(), rep.nonce(), publicShare,
            HEX.parseHex(rep.inputShares().get(1)), leader.message());
        OutputShare leaderOut = vdaf.leaderContinued(leader.prepState(), helper.message());
        assertThat(HEX.formatHex(leaderOut.encode())).as(at + "ping-pong leader out_share")
            .isEqualTo(rep.outShares().get(0));
        assertThat(HEX.formatHex(helper.outputShare().encode())).as(at + "ping-pong helper out_share")
            .isEqualTo(rep.outShares().get(1));
      }
    }
    List<byte[]> encodedAggs = new ArrayList<>();
    for (int j = 0; j < shares; j++) {
      byte[] enc = aggs.get(j).encode();
      assertThat(HEX.formatHex(enc)).as(file + " agg_share " + j).isEqualTo(v.aggShares().get(j));
      encodedAggs.add(enc);
    }
    assertThat(vdaf.unshard(encodedAggs, v.reports().size())).as(file + " agg_result").containsExactly(v.aggResult());
  }
}
