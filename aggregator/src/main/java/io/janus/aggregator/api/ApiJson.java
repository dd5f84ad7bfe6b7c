package io.janus.aggregator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenHash;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.HpkeAlgorithmNames;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.datastore.model.TaskAggregationCounter;
import io.janus.server.datastore.model.TaskUploadCounter;
import io.janus.server.datastore.model.TaskprovPeerAggregator;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The admin API's JSON, in the shapes Janus 0.7's serde gives its types so tooling written against Janus reads and
 * writes it unchanged: IDs, keys and hashes as unpadded base64url, durations and times as seconds, enums by variant
 * name ({@code "Leader"}, {@code "Active"}, {@code "X25519HkdfSha256"}), and externally tagged unions
 * ({@code "TimeInterval"} or {@code {"FixedSize": {...}}}). Reading is strict: an unknown field, a missing one, a
 * wrong type or a bad value is a 400 naming the field.
 */
final class ApiJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String NO_DP = "NoDifferentialPrivacy";

  private ApiJson() {}

  /**
   * A JSON object being read: each accessor names the field's path in its error, and {@link #only} refuses fields
   * the request type does not have.
   */
  static final class Reader {
    private final JsonNode node;
    private final String path;

    private Reader(JsonNode node, String path) {
      this.node = node;
      this.path = path;
    }

    /** The request body {@code node}, which must be an object. */
    static Reader body(JsonNode node) {
      return object(node, "the request body");
    }

    private static Reader object(JsonNode node, String path) {
      if (node == null || !node.isObject()) {
        throw ApiException.badRequest(path + " must be a JSON object");
      }
      return new Reader(node, path);
    }

    /** Refuses any field but {@code allowed}. */
    Reader only(String... allowed) {
      Set<String> names = Set.of(allowed);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!names.contains(f)) {
          throw ApiException.badRequest("unknown field " + at(f));
        }
      }
      return this;
    }

    private String at(String field) {
      return path.equals("the request body") ? field : path + "." + field;
    }

    boolean has(String field) {
      return node.has(field);
    }

    /** The field's value; absent or null is an error. */
    JsonNode required(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw ApiException.badRequest("missing field " + at(field));
      }
      return v;
    }

    /** The field's value; absent or null gives empty (serde's reading of an {@code Option}). */
    Optional<JsonNode> optional(String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    Reader object(String field) {
      return object(required(field), at(field));
    }

    String string(String field) {
      return text(required(field), at(field));
    }

    long unsigned(String field) {
      return ApiJson.unsigned(required(field), at(field));
    }

    OptionalLong optionalUnsigned(String field) {
      Optional<JsonNode> v = optional(field);
      return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ApiJson.unsigned(v.get(), at(field)));
    }

    byte[] base64Url(String field) {
      return ApiJson.base64Url(string(field), at(field));
    }

    URI url(String field) {
      String text = string(field);
      try {
        URI u = new URI(text);
        if (!u.isAbsolute() || u.getHost() == null) {
          throw ApiException.badRequest(at(field) + " must be an absolute URL, got " + text);
        }
        return u;
      } catch (URISyntaxException e) {
        throw ApiException.badRequest(at(field) + " is not a valid URL: " + e.getReason());
      }
    }

    Role aggregatorRole(String field) {
      String text = string(field);
      return switch (text) {
        case "Leader" -> Role.LEADER;
        case "Helper" -> Role.HELPER;
        default -> throw ApiException.badRequest(at(field) + " must be \"Leader\" or \"Helper\", got " + text);
      };
    }

    HpkeConfig hpkeConfig(String field) {
      Reader c = object(field).only("id", "kem_id", "kdf_id", "aead_id", "public_key");
      long id = c.unsigned("id");
      if (id > 255) {
        throw ApiException.badRequest(c.at("id") + " must be in 0..255, got " + id);
      }
      try {
        return new HpkeConfig((int) id, c.algorithm("kem_id", HpkeAlgorithmNames.KEMS),
            c.algorithm("kdf_id", HpkeAlgorithmNames.KDFS), c.algorithm("aead_id", HpkeAlgorithmNames.AEADS),
            c.base64Url("public_key"));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(at(field) + ": " + e.getMessage());
      }
    }

    /** An HPKE algorithm by Janus's name, or by its RFC 9180 number. */
    int algorithm(String field, Map<Integer, String> names) {
      JsonNode v = required(field);
      if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0 && v.intValue() <= 0xffff) {
        return v.intValue();
      }
      String name = text(v, at(field));
      return HpkeAlgorithmNames.idOf(names, name).orElseThrow(() -> ApiException.badRequest(
          at(field) + " is not one of " + new java.util.TreeSet<>(names.values()) + ": " + name));
    }

    AuthenticationToken token(String field) {
      return token(object(field), at(field));
    }

    List<AuthenticationToken> tokens(String field) {
      JsonNode v = required(field);
      if (!v.isArray()) {
        throw ApiException.badRequest(at(field) + " must be a list");
      }
      List<AuthenticationToken> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        out.add(token(object(v.get(i), at(field) + "[" + i + "]"), at(field) + "[" + i + "]"));
      }
      return out;
    }

    private static AuthenticationToken token(Reader t, String path) {
      t.only("type", "token");
      AuthenticationTokenType type = tokenType(t.string("type"), path + ".type");
      try {
        return new AuthenticationToken(type, t.string("token"));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(path + ".token: " + e.getMessage());
      }
    }

    AuthenticationTokenHash tokenHash(String field) {
      Reader t = object(field).only("type", "hash");
      byte[] hash = t.base64Url("hash");
      if (hash.length != 32) {
        throw ApiException.badRequest(at(field) + ".hash must be a SHA-256 hash (32 bytes), got " + hash.length);
      }
      return new AuthenticationTokenHash(tokenType(t.string("type"), at(field) + ".type"), hash);
    }

    QueryType queryType(String field) {
      JsonNode v = required(field);
      if (v.isTextual() && v.textValue().equals("TimeInterval")) {
        return new QueryType.TimeInterval();
      }
      Reader fixed = variant(v, at(field), "FixedSize").only("max_batch_size", "batch_time_window_size");
      try {
        return new QueryType.FixedSize(fixed.optionalUnsigned("max_batch_size"),
            fixed.optionalUnsigned("batch_time_window_size").stream().mapToObj(DapDuration::ofSeconds).findAny());
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(at(field) + ": " + e.getMessage());
      }
    }

    /**
     * A VDAF in Janus's form. Janus's optional {@code dp_strategy} is accepted when it asks for no differential
     * privacy, the only strategy served here; any other is refused rather than silently dropped.
     */
    VdafInstance vdaf(String field) {
      JsonNode v = required(field).deepCopy();
      if (v.isObject() && v.size() == 1) {
        JsonNode params = v.elements().next();
        if (params.isObject() && params.has("dp_strategy")) {
          JsonNode dp = params.get("dp_strategy");
          if (!dp.isObject() || dp.size() != 1 || !NO_DP.equals(dp.path("dp_strategy").asText())) {
            throw ApiException.badRequest(at(field) + ".dp_strategy: only {\"dp_strategy\": \"" + NO_DP
                + "\"} is supported");
          }
          ((ObjectNode) params).remove("dp_strategy");
        }
      }
      try {
        return VdafInstance.fromJson(v.toString());
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(at(field) + ": " + e.getMessage());
      }
    }

    HpkeKeyState keyState(String field) {
      String text = string(field);
      for (HpkeKeyState s : HpkeKeyState.values()) {
        if (stateName(s).equals(text)) {
          return s;
        }
      }
      throw ApiException.badRequest(at(field) + " must be \"Pending\", \"Active\" or \"Expired\", got " + text);
    }

    private static Reader variant(JsonNode v, String path, String name) {
      if (!v.isObject() || v.size() != 1 || !v.has(name)) {
        throw ApiException.badRequest(path + " must be \"TimeInterval\" or {\"" + name + "\": {...}}");
      }
      return object(v.get(name), path + "." + name);
    }
  }

  private static String text(JsonNode v, String path) {
    if (!v.isTextual()) {
      throw ApiException.badRequest(path + " must be a string");
    }
    return v.textValue();
  }

  private static long unsigned(JsonNode v, String path) {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw ApiException.badRequest(path + " must be a non-negative integer, got " + v);
    }
    return v.longValue();
  }

  static byte[] base64Url(String text, String path) {
    try {
      return Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(path + " is not unpadded base64url");
    }
  }

  private static AuthenticationTokenType tokenType(String text, String path) {
    return switch (text) {
      case "Bearer" -> AuthenticationTokenType.BEARER;
      case "DapAuth" -> AuthenticationTokenType.DAP_AUTH;
      default -> throw ApiException.badRequest(path + " must be \"Bearer\" or \"DapAuth\", got " + text);
    };
  }

  private static String tokenTypeName(AuthenticationTokenType type) {
    return type == AuthenticationTokenType.BEARER ? "Bearer" : "DapAuth";
  }

  static String stateName(HpkeKeyState s) {
    return switch (s) {
      case PENDING -> "Pending";
      case ACTIVE -> "Active";
      case EXPIRED -> "Expired";
    };
  }

  static String roleName(Role role) {
    return role == Role.LEADER ? "Leader" : "Helper";
  }

  static ObjectNode hpkeConfig(HpkeConfig c) {
    return NODES.objectNode()
        .put("id", c.id())
        .put("kem_id", HpkeAlgorithmNames.nameOf(HpkeAlgorithmNames.KEMS, c.kemId()))
        .put("kdf_id", HpkeAlgorithmNames.nameOf(HpkeAlgorithmNames.KDFS, c.kdfId()))
        .put("aead_id", HpkeAlgorithmNames.nameOf(HpkeAlgorithmNames.AEADS, c.aeadId()))
        .put("public_key", Base64Url.encode(c.publicKey()));
  }

  static ObjectNode token(AuthenticationToken t) {
    return NODES.objectNode().put("type", tokenTypeName(t.type())).put("token", t.token());
  }

  static JsonNode queryType(QueryType q) {
    return switch (q) {
      case QueryType.TimeInterval t -> NODES.textNode("TimeInterval");
      case QueryType.FixedSize f -> {
        ObjectNode params = NODES.objectNode();
        params.set("max_batch_size", f.maxBatchSize().isPresent()
            ? NODES.numberNode(f.maxBatchSize().getAsLong()) : NODES.nullNode());
        params.set("batch_time_window_size", f.batchTimeWindowSize()
            .<JsonNode>map(d -> NODES.numberNode(d.seconds())).orElse(NODES.nullNode()));
        ObjectNode root = NODES.objectNode();
        root.set("FixedSize", params);
        yield root;
      }
    };
  }

  /** The VDAF as Janus writes it, with the {@code dp_strategy} Janus adds to the VDAFs that have one. */
  static JsonNode vdaf(VdafInstance v) {
    JsonNode node;
    try {
      node = MAPPER.readTree(v.toJson());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a VDAF's own JSON did not parse", e);
    }
    if (v instanceof VdafInstance.Prio3SumVec || v instanceof VdafInstance.Prio3Histogram
        || v instanceof VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128) {
      ((ObjectNode) node.elements().next()).set("dp_strategy", NODES.objectNode().put("dp_strategy", NO_DP));
    }
    return node;
  }

  private static JsonNode optionalSeconds(Optional<? extends Object> v) {
    return v.<JsonNode>map(x -> NODES.numberNode(x instanceof Time t ? t.seconds() : ((DapDuration) x).seconds()))
        .orElse(NODES.nullNode());
  }

  /**
   * A task as Janus's {@code TaskResp}: {@code aggregator_auth_token} only when the Helper just generated one
   * (it stores only the hash, so this is the one chance to hand it over), and the task's HPKE configurations
   * ordered by ID.
   */
  static ObjectNode task(Task t, Optional<AuthenticationToken> generatedHelperToken) {
    ObjectNode n = NODES.objectNode();
    n.put("task_id", t.id().toBase64Url());
    n.put("protocol", t.protocol().text());
    n.put("peer_aggregator_endpoint", t.peerAggregatorEndpoint().toString());
    n.set("query_type", queryType(t.queryType()));
    n.set("vdaf", vdaf(t.vdaf()));
    n.put("role", roleName(t.role()));
    n.put("vdaf_verify_key", Base64Url.encode(t.vdafVerifyKey()));
    n.put("max_batch_query_count", t.maxBatchQueryCount());
    n.set("task_expiration", optionalSeconds(t.taskExpiration()));
    t.agreedTerms().ifPresent(terms -> {
      n.put("task_info", Base64Url.encode(terms.taskInfo()));
      n.set("task_start", optionalSeconds(terms.taskStart()));
      n.set("task_duration", optionalSeconds(terms.taskStart().map(start ->
          DapDuration.ofSeconds(t.taskExpiration().orElseThrow().seconds() - start.seconds()))));
    });
    n.set("report_expiry_age", optionalSeconds(t.reportExpiryAge()));
    n.put("min_batch_size", t.minBatchSize());
    n.put("time_precision", t.timePrecision().seconds());
    n.put("tolerable_clock_skew", t.tolerableClockSkew().seconds());
    n.set("aggregator_auth_token", generatedHelperToken.<JsonNode>map(ApiJson::token).orElse(NODES.nullNode()));
    n.set("collector_hpke_config", hpkeConfig(t.collectorHpkeConfig()));
    ArrayNode keys = n.putArray("aggregator_hpke_configs");
    t.hpkeKeys().stream().map(HpkeKeypair::config).sorted(Comparator.comparingInt(HpkeConfig::id))
        .forEach(c -> keys.add(hpkeConfig(c)));
    return n;
  }

  static ObjectNode globalKey(GlobalHpkeKeypair k) {
    ObjectNode n = NODES.objectNode();
    n.set("config", hpkeConfig(k.keypair().config()));
    n.put("state", stateName(k.state()));
    return n;
  }

  /** A taskprov peer without its secrets (verify key init and tokens), as Janus answers. */
  static ObjectNode peer(TaskprovPeerAggregator p) {
    ObjectNode n = NODES.objectNode();
    n.put("endpoint", p.endpoint().toString());
    n.put("role", roleName(p.peerRole()));
    n.set("collector_hpke_config", hpkeConfig(p.collectorHpkeConfig()));
    n.set("report_expiry_age", optionalSeconds(p.reportExpiryAge()));
    n.put("tolerable_clock_skew", p.tolerableClockSkew().seconds());
    return n;
  }

  static ObjectNode uploadCounter(TaskUploadCounter c) {
    return NODES.objectNode()
        .put("interval_collected", c.intervalCollected())
        .put("report_decode_failure", c.reportDecodeFailure())
        .put("report_decrypt_failure", c.reportDecryptFailure())
        .put("report_expired", c.reportExpired())
        .put("report_outdated_key", c.reportOutdatedKey())
        .put("report_success", c.reportSuccess())
        .put("report_too_early", c.reportTooEarly())
        .put("task_expired", c.taskExpired());
  }

  /**
   * The aggregation counters under Janus's field names. Janus counts Helper-reported failures apart
   * ({@code helper_*}); this aggregator counts each report's outcome once whichever side failed it, so those are 0,
   * and {@code batch_saturated} (reports a full fixed-size batch turned away) is an extra field.
   */
  static ObjectNode aggregationCounter(TaskAggregationCounter c) {
    ObjectNode n = NODES.objectNode()
        .put("success", c.success())
        .put("duplicate_extension", 0)
        .put("public_share_encode_failure", 0)
        .put("batch_collected", c.batchCollected())
        .put("report_replayed", c.reportReplayed())
        .put("report_dropped", c.reportDropped())
        .put("hpke_unknown_config_id", c.hpkeUnknownConfigId())
        .put("hpke_decrypt_failure", c.hpkeDecryptFailure())
        .put("vdaf_prep_error", c.vdafPrepFailure())
        .put("task_expired", c.taskExpired())
        .put("invalid_message", c.invalidMessage())
        .put("report_too_early", c.reportTooEarly());
    for (String helper : List.of("batch_collected", "report_replayed", "report_dropped", "hpke_unknown_config_id",
        "hpke_decrypt_failure", "vdaf_prep_error", "task_expired", "invalid_message", "report_too_early")) {
      n.put("helper_" + helper, 0);
    }
    n.put("batch_saturated", c.batchSaturated());
    return n;
  }
}
