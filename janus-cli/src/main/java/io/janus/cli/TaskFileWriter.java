package io.janus.cli;

import io.janus.core.hpke.HpkeAlgorithmNames;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenHash;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.Time;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Writes tasks in the tasks-file format that {@link TaskFileReader} reads, secrets included, so the output of
 * {@code provision-tasks --echo-tasks} can be kept, handed to the peer, or provisioned again unchanged.
 */
final class TaskFileWriter {
  private TaskFileWriter() {}

  /** The YAML list of {@code tasks}. */
  static String render(List<ProvisionedTask> tasks) {
    List<Node> items = new ArrayList<>();
    for (ProvisionedTask t : tasks) {
      items.add(task(t));
    }
    return YamlTree.dump(YamlTree.seq(items));
  }

  private static Node task(ProvisionedTask p) {
    Task t = p.task();
    YamlTree.MapBuilder m = YamlTree.map()
        .put("task_id", t.id().toBase64Url())
        .put("protocol", t.protocol().text())
        .put("peer_aggregator_endpoint", t.peerAggregatorEndpoint().toString())
        .put("query_type", queryType(t.queryType()))
        .put("vdaf", vdaf(t.vdaf()))
        .put("role", t.role() == Role.LEADER ? "Leader" : "Helper")
        .put("vdaf_verify_key", Base64Url.encode(t.vdafVerifyKey()))
        .put("max_batch_query_count", t.maxBatchQueryCount())
        .put("task_expiration", YamlTree.optionalInteger(t.taskExpiration().map(Time::seconds)))
        .put("report_expiry_age", YamlTree.optionalInteger(t.reportExpiryAge().map(DapDuration::seconds)))
        .put("min_batch_size", t.minBatchSize())
        .put("time_precision", t.timePrecision().seconds())
        .put("tolerable_clock_skew", t.tolerableClockSkew().seconds())
        .put("collector_hpke_config", hpkeConfig(t.collectorHpkeConfig()));
    t.agreedTerms().ifPresent(terms -> {
      m.put("task_info", Base64Url.encode(terms.taskInfo()));
      m.put("own_aggregator_endpoint", terms.ownEndpoint().toString());
      m.put("task_start", YamlTree.optionalInteger(terms.taskStart().map(Time::seconds)));
    });
    p.aggregatorAuthToken().ifPresent(tok -> m.put("aggregator_auth_token", token(tok)));
    t.aggregatorAuthTokenHash().ifPresent(h -> m.put("aggregator_auth_token_hash", tokenHash(h)));
    p.collectorAuthToken().ifPresent(tok -> m.put("collector_auth_token", token(tok)));
    t.collectorAuthTokenHash().ifPresent(h -> m.put("collector_auth_token_hash", tokenHash(h)));
    List<Node> keys = new ArrayList<>();
    for (HpkeKeypair k : t.hpkeKeys()) {
      keys.add(hpkeKeypair(k));
    }
    m.put("hpke_keys", YamlTree.seq(keys));
    return m.build();
  }

  private static Node queryType(QueryType q) {
    return switch (q) {
      case QueryType.TimeInterval ti -> YamlTree.str("TimeInterval");
      case QueryType.FixedSize fs -> YamlTree.taggedMap("FixedSize")
          .put("max_batch_size", fs.maxBatchSize().isPresent() ? YamlTree.integer(fs.maxBatchSize().getAsLong())
              : YamlTree.nul())
          .put("batch_time_window_size", YamlTree.optionalInteger(fs.batchTimeWindowSize().map(DapDuration::seconds)))
          .build();
    };
  }

  private static Node vdaf(VdafInstance v) {
    return switch (v) {
      case VdafInstance.Prio3Count c -> YamlTree.str("Prio3Count");
      case VdafInstance.Prio3Sum s -> YamlTree.taggedMap("Prio3Sum").put("bits", s.bits()).build();
      case VdafInstance.Prio3SumVec s -> YamlTree.taggedMap("Prio3SumVec")
          .put("bits", s.bits()).put("length", s.length()).put("chunk_length", s.chunkLength()).build();
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 s ->
          YamlTree.taggedMap("Prio3SumVecField64MultiproofHmacSha256Aes128").put("proofs", s.proofs())
              .put("bits", s.bits()).put("length", s.length()).put("chunk_length", s.chunkLength()).build();
      case VdafInstance.Prio3Histogram h -> YamlTree.taggedMap("Prio3Histogram")
          .put("length", h.length()).put("chunk_length", h.chunkLength()).build();
      case VdafInstance.Prio3SumMaxMeasurement s ->
          YamlTree.taggedMap("Prio3Sum").put("max_measurement", s.maxMeasurement()).build();
      case VdafInstance.Prio3SumVecMaxMeasurement s -> YamlTree.taggedMap("Prio3SumVec")
          .put("max_measurement", s.maxMeasurement()).put("length", s.length()).put("chunk_length", s.chunkLength())
          .build();
      case VdafInstance.Prio3MultihotCountVec m -> YamlTree.taggedMap("Prio3MultihotCountVec")
          .put("length", m.length()).put("max_weight", m.maxWeight()).put("chunk_length", m.chunkLength()).build();
    };
  }

  /** An HPKE config as the tasks file writes it: named algorithms and a base64url public key. */
  static Node hpkeConfig(HpkeConfig c) {
    return YamlTree.map()
        .put("id", c.id())
        .put("kem_id", HpkeAlgorithmNames.nameOf(HpkeAlgorithmNames.KEMS, c.kemId()))
        .put("kdf_id", HpkeAlgorithmNames.nameOf(HpkeAlgorithmNames.KDFS, c.kdfId()))
        .put("aead_id", HpkeAlgorithmNames.nameOf(HpkeAlgorithmNames.AEADS, c.aeadId()))
        .put("public_key", Base64Url.encode(c.publicKey()))
        .build();
  }

  /** A keypair as the tasks file's {@code hpke_keys} entries write it. */
  static Node hpkeKeypair(HpkeKeypair k) {
    return YamlTree.map()
        .put("config", hpkeConfig(k.config()))
        .put("private_key", Base64Url.encode(k.privateKey()))
        .build();
  }

  private static Node token(AuthenticationToken t) {
    return YamlTree.map().put("type", typeName(t.type())).put("token", t.token()).build();
  }

  private static Node tokenHash(AuthenticationTokenHash h) {
    return YamlTree.map().put("type", typeName(h.type())).put("hash", Base64Url.encode(h.hash())).build();
  }

  private static String typeName(AuthenticationTokenType type) {
    return switch (type) {
      case DAP_AUTH -> "DapAuth";
      case BEARER -> "Bearer";
    };
  }
}
