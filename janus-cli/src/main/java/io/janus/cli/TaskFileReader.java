package io.janus.cli;

import io.janus.core.hpke.HpkeAlgorithmNames;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenHash;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a tasks file: a YAML list of tasks in the format of Janus 0.7's {@code docs/samples/tasks.yaml}
 * ({@code query_type}, {@code max_batch_query_count}, {@code task_expiration}, local tags such as
 * {@code !FixedSize} and {@code !Prio3Sum}, unpadded base64url for keys, IDs and hashes).
 *
 * <p>Two keys go beyond Janus: {@code collector_auth_token} (Leader) and, for a Helper,
 * {@code aggregator_auth_token}, each holding a plain-text token that is stored only as its hash. They let the
 * output of {@code --echo-tasks}, which includes generated tokens, be read back.
 *
 * <p>A DAP-18 task ({@code protocol: DAP-18}) also takes the parts of draft 18's TaskConfiguration that the other
 * keys lack: {@code task_info} (1 to 255 bytes, unpadded base64url, as Janus writes it), {@code own_aggregator_endpoint} (this aggregator's
 * URL exactly as the parties agreed it; the peer's is {@code peer_aggregator_endpoint}) and {@code task_start}
 * (the first second of the task interval, which {@code task_expiration} ends). Every party must write the same
 * values, since both HPKE AADs bind them.
 *
 * <p>Every value is checked as it is read; the first problem raises a {@link TaskFileException} naming the file,
 * line, key path and reason. Unknown and duplicate keys are errors, so a misspelt key never passes silently.
 */
final class TaskFileReader {
  private static final Set<String> TASK_KEYS = Set.of("task_id", "peer_aggregator_endpoint", "query_type", "vdaf",
      "role", "vdaf_verify_key", "max_batch_query_count", "task_expiration", "report_expiry_age", "min_batch_size",
      "time_precision", "tolerable_clock_skew", "collector_hpke_config", "aggregator_auth_token",
      "aggregator_auth_token_hash", "collector_auth_token", "collector_auth_token_hash", "hpke_keys", "protocol",
      "task_info", "own_aggregator_endpoint", "task_start");

  /** The keys only a DAP-18 task takes: what its TaskConfiguration binds beyond the other keys. */
  private static final List<String> DAP18_KEYS = List.of("task_info", "own_aggregator_endpoint", "task_start");

  private final String source;

  private TaskFileReader(String source) {
    this.source = source;
  }

  /**
   * Reads and parses a tasks file.
   *
   * @throws TaskFileException if the file is missing, unreadable, not YAML, or describes an invalid task
   */
  static List<TaskSpec> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new TaskFileException(file.toString(), "", "tasks file does not exist");
    } catch (AccessDeniedException e) {
      throw new TaskFileException(file.toString(), "", "tasks file is not readable (permission denied)");
    } catch (CharacterCodingException e) {
      throw new TaskFileException(file.toString(), "", "tasks file is not valid UTF-8");
    } catch (IOException e) {
      throw new TaskFileException(file.toString(), "", "cannot read tasks file: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /**
   * Parses the text of a tasks file.
   *
   * @param source the file name to put in error messages
   * @throws TaskFileException if the text is not YAML or describes an invalid task
   */
  static List<TaskSpec> parse(String yaml, String source) {
    return new TaskFileReader(source).tasks(yaml);
  }

  private List<TaskSpec> tasks(String yaml) {
    Node root = compose(yaml);
    if (root == null) {
      throw new TaskFileException(source, "", "tasks file is empty; expected a list of tasks");
    }
    if (!(root instanceof SequenceNode seq)) {
      throw new TaskFileException(at(root), "", "expected a list of tasks");
    }
    List<TaskSpec> out = new ArrayList<>();
    Map<TaskId, Integer> seen = new HashMap<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      TaskSpec spec = task(seq.getValue().get(i), i);
      if (spec.taskId().isPresent()) {
        Integer previous = seen.putIfAbsent(spec.taskId().get(), i);
        if (previous != null) {
          throw new TaskFileException(spec.location(), "[" + i + "].task_id",
              "task ID " + spec.taskId().get().toBase64Url() + " is also used by task [" + previous + "]");
        }
      }
      out.add(spec);
    }
    return out;
  }

  private Node compose(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    // A tasks file has no use for aliases; refusing them also rules out alias-expansion bombs.
    options.setMaxAliasesForCollections(0);
    try {
      return new Yaml(options).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      String problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
      if (e.getContext() != null) {
        problem = e.getContext() + ", " + problem;
      }
      throw new TaskFileException(at(e.getProblemMark()), "", "invalid YAML: " + problem);
    } catch (YAMLException e) {
      throw new TaskFileException(source, "", "invalid YAML: " + e.getMessage());
    }
  }

  private TaskSpec task(Node node, int index) {
    String path = "[" + index + "]";
    Fields f = fields(node, path, TASK_KEYS);
    String location = at(node);
    Optional<TaskId> taskId = f.optional("task_id").map(n -> parse(n, f.path("task_id"),
        () -> TaskId.fromBase64Url(text(n, f.path("task_id")))));
    URI peer = url(f.required("peer_aggregator_endpoint"), f.path("peer_aggregator_endpoint"));
    QueryType queryType = queryType(f.required("query_type"), f.path("query_type"));
    VdafInstance vdaf = vdaf(f.required("vdaf"), f.path("vdaf"));
    Role role = role(f.required("role"), f.path("role"));
    DapVersion protocol = f.optional("protocol").map(n -> protocol(n, f.path("protocol"))).orElse(DapVersion.DAP_09);
    if (!vdaf.runsUnder(protocol)) {
      throw error(f.required("vdaf"), f.path("vdaf"), "a " + protocol.text() + " task cannot run this VDAF: "
          + "max_measurement and Prio3MultihotCountVec are VDAF-18's (DAP-18); DAP-09 tasks give bits");
    }
    Optional<byte[]> verifyKey = f.optional("vdaf_verify_key")
        .map(n -> base64(n, f.path("vdaf_verify_key")));
    long maxBatchQueryCount = integer(f.required("max_batch_query_count"), f.path("max_batch_query_count"), 1,
        Long.MAX_VALUE);
    Optional<Time> expiration = f.optional("task_expiration")
        .map(n -> new Time(integer(n, f.path("task_expiration"), 0, Long.MAX_VALUE)));
    Optional<DapDuration> expiryAge = f.optional("report_expiry_age")
        .map(n -> DapDuration.ofSeconds(integer(n, f.path("report_expiry_age"), 1, Long.MAX_VALUE)));
    long minBatchSize = integer(f.required("min_batch_size"), f.path("min_batch_size"), 0, Long.MAX_VALUE);
    DapDuration timePrecision = DapDuration.ofSeconds(
        integer(f.required("time_precision"), f.path("time_precision"), 1, Long.MAX_VALUE));
    DapDuration skew = DapDuration.ofSeconds(
        integer(f.required("tolerable_clock_skew"), f.path("tolerable_clock_skew"), 0, Long.MAX_VALUE));
    HpkeConfig collectorConfig = hpkeConfig(f.required("collector_hpke_config"), f.path("collector_hpke_config"));
    if (!Hpke.isSupported(collectorConfig)) {
      throw error(f.required("collector_hpke_config"), f.path("collector_hpke_config"),
          "aggregate shares cannot be encrypted to this HPKE suite (supported: KEM X25519HkdfSha256 or "
              + "P256HkdfSha256, KDF HkdfSha256, AEAD Aes128Gcm, Aes256Gcm or ChaCha20Poly1305)");
    }
    checkPublicKey(f.required("collector_hpke_config"), f.path("collector_hpke_config"), collectorConfig);
    Optional<AuthenticationToken> aggToken = f.optional("aggregator_auth_token")
        .map(n -> token(n, f.path("aggregator_auth_token")));
    Optional<AuthenticationTokenHash> aggHash = f.optional("aggregator_auth_token_hash")
        .map(n -> tokenHash(n, f.path("aggregator_auth_token_hash")));
    Optional<AuthenticationToken> collectorToken = f.optional("collector_auth_token")
        .map(n -> token(n, f.path("collector_auth_token")));
    Optional<AuthenticationTokenHash> collectorHash = f.optional("collector_auth_token_hash")
        .map(n -> tokenHash(n, f.path("collector_auth_token_hash")));
    Optional<List<HpkeKeypair>> keys = f.optional("hpke_keys").map(n -> hpkeKeys(n, f.path("hpke_keys")));
    Optional<AgreedTerms> terms = agreedTerms(f, node, path, protocol, expiration);
    return new TaskSpec(index, location, taskId, protocol, peer, queryType, vdaf, role, verifyKey, maxBatchQueryCount,
        expiration, expiryAge, minBatchSize, timePrecision, skew, collectorConfig, aggToken, aggHash,
        collectorToken, collectorHash, keys, terms);
  }

  /** A DAP-18 task's {@code task_info}, {@code own_aggregator_endpoint} and {@code task_start}; none for DAP-09. */
  private Optional<AgreedTerms> agreedTerms(Fields f, Node node, String path, DapVersion protocol,
      Optional<Time> expiration) {
    if (protocol != DapVersion.DAP_18) {
      for (String key : DAP18_KEYS) {
        if (f.optional(key).isPresent()) {
          throw error(f.optional(key).get(), f.path(key), "only a DAP-18 task takes " + key
              + " (part of draft 18's task configuration); this task is " + protocol.text());
        }
      }
      return Optional.empty();
    }
    for (String key : List.of("task_info", "own_aggregator_endpoint")) {
      if (f.optional(key).isEmpty()) {
        throw error(node, path + "." + key, "a DAP-18 task needs " + key
            + ": every party binds it into the HPKE AADs, so it cannot be generated");
      }
    }
    byte[] info = base64(f.required("task_info"), f.path("task_info"));
    if (info.length == 0 || info.length > 255) {
      throw error(f.required("task_info"), f.path("task_info"), "must be 1 to 255 bytes, got " + info.length);
    }
    URI own = url(f.required("own_aggregator_endpoint"), f.path("own_aggregator_endpoint"));
    Optional<Time> start = f.optional("task_start")
        .map(n -> new Time(integer(n, f.path("task_start"), 0, Long.MAX_VALUE)));
    if (start.isPresent() != expiration.isPresent()) {
      String key = start.isPresent() ? "task_start" : "task_expiration";
      throw error(f.required(key), f.path(key), "a DAP-18 task interval needs both task_start and "
          + "task_expiration, or neither");
    }
    return Optional.of(new AgreedTerms(info, own, start));
  }

  private QueryType queryType(Node node, String path) {
    String name = tagOrScalarName(node, path, "a query type (TimeInterval or !FixedSize)");
    return switch (name) {
      case "TimeInterval" -> {
        noParameters(node, path, name);
        yield new QueryType.TimeInterval();
      }
      case "FixedSize" -> {
        Fields f = fields(node, path, Set.of("max_batch_size", "batch_time_window_size"));
        OptionalLong max = f.optional("max_batch_size")
            .map(n -> OptionalLong.of(integer(n, f.path("max_batch_size"), 1, Long.MAX_VALUE)))
            .orElse(OptionalLong.empty());
        Optional<DapDuration> window = f.optional("batch_time_window_size")
            .map(n -> DapDuration.ofSeconds(integer(n, f.path("batch_time_window_size"), 1, Long.MAX_VALUE)));
        yield new QueryType.FixedSize(max, window);
      }
      default -> throw error(node, path, "unknown query type \"" + name + "\" (expected TimeInterval or !FixedSize)");
    };
  }

  private VdafInstance vdaf(Node node, String path) {
    String name = tagOrScalarName(node, path, "a VDAF (Prio3Count, !Prio3Sum, !Prio3SumVec, !Prio3Histogram or "
        + "!Prio3SumVecField64MultiproofHmacSha256Aes128)");
    VdafInstance vdaf = switch (name) {
      case "Prio3Count" -> {
        noParameters(node, path, name);
        yield new VdafInstance.Prio3Count();
      }
      case "Prio3Sum" -> {
        Fields f = fields(node, path, Set.of("bits", "max_measurement"));
        if (f.optional("max_measurement").isPresent() && f.optional("bits").isEmpty()) {
          // VDAF-18's parameterisation (DAP-18 tasks), as Janus main writes it.
          long max = integer(f.required("max_measurement"), f.path("max_measurement"), 1, 1L << 62);
          yield new VdafInstance.Prio3SumMaxMeasurement(max);
        }
        fields(node, path, Set.of("bits"));
        int bits = (int) integer(f.required("bits"), f.path("bits"), 1, 64);
        yield new VdafInstance.Prio3Sum(bits);
      }
      case "Prio3SumVec" -> {
        Fields f = fields(node, path, Set.of("bits", "max_measurement", "length", "chunk_length", "dp_strategy"));
        noDifferentialPrivacy(f);
        if (f.optional("max_measurement").isPresent() && f.optional("bits").isEmpty()) {
          long max = integer(f.required("max_measurement"), f.path("max_measurement"), 1, 1L << 62);
          int length = (int) integer(f.required("length"), f.path("length"), 1, Integer.MAX_VALUE);
          int chunk = (int) integer(f.required("chunk_length"), f.path("chunk_length"), 1, Integer.MAX_VALUE);
          yield parse(node, path, () -> new VdafInstance.Prio3SumVecMaxMeasurement(max, length, chunk));
        }
        fields(node, path, Set.of("bits", "length", "chunk_length", "dp_strategy"));
        int bits = (int) integer(f.required("bits"), f.path("bits"), 1, 64);
        int length = (int) integer(f.required("length"), f.path("length"), 1, Integer.MAX_VALUE);
        int chunk = (int) integer(f.required("chunk_length"), f.path("chunk_length"), 1, Integer.MAX_VALUE);
        yield parse(node, path, () -> new VdafInstance.Prio3SumVec(bits, length, chunk));
      }
      case "Prio3Histogram" -> {
        Fields f = fields(node, path, Set.of("length", "chunk_length", "dp_strategy"));
        noDifferentialPrivacy(f);
        int length = (int) integer(f.required("length"), f.path("length"), 1, Integer.MAX_VALUE);
        int chunk = (int) integer(f.required("chunk_length"), f.path("chunk_length"), 1, Integer.MAX_VALUE);
        yield parse(node, path, () -> new VdafInstance.Prio3Histogram(length, chunk));
      }
      case "Prio3SumVecField64MultiproofHmacSha256Aes128" -> {
        Fields f = fields(node, path, Set.of("proofs", "bits", "length", "chunk_length", "dp_strategy"));
        noDifferentialPrivacy(f);
        int proofs = (int) integer(f.required("proofs"), f.path("proofs"), 2, 255);
        int bits = (int) integer(f.required("bits"), f.path("bits"), 1, 64);
        int length = (int) integer(f.required("length"), f.path("length"), 1, Integer.MAX_VALUE);
        int chunk = (int) integer(f.required("chunk_length"), f.path("chunk_length"), 1, Integer.MAX_VALUE);
        yield parse(node, path,
            () -> new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(proofs, bits, length, chunk));
      }
      case "Prio3MultihotCountVec" -> {
        Fields f = fields(node, path, Set.of("length", "max_weight", "chunk_length"));
        int length = (int) integer(f.required("length"), f.path("length"), 1, Integer.MAX_VALUE);
        int weight = (int) integer(f.required("max_weight"), f.path("max_weight"), 1, Integer.MAX_VALUE);
        int chunk = (int) integer(f.required("chunk_length"), f.path("chunk_length"), 1, Integer.MAX_VALUE);
        yield parse(node, path, () -> new VdafInstance.Prio3MultihotCountVec(length, weight, chunk));
      }
      default -> throw error(node, path, "unknown or unsupported VDAF \"" + name
          + "\" (supported: Prio3Count, !Prio3Sum, !Prio3SumVec, !Prio3Histogram, "
          + "!Prio3SumVecField64MultiproofHmacSha256Aes128)");
    };
    return vdaf;
  }

  /**
   * Janus writes {@code dp_strategy} into the VDAFs that have one; the only strategy served here is none, so that
   * is accepted and any other refused rather than silently dropped.
   */
  private void noDifferentialPrivacy(Fields f) {
    Optional<Node> dp = f.optional("dp_strategy");
    if (dp.isEmpty()) {
      return;
    }
    Fields strategy = fields(dp.get(), f.path("dp_strategy"), Set.of("dp_strategy"));
    String name = text(strategy.required("dp_strategy"), strategy.path("dp_strategy"));
    if (!name.equals("NoDifferentialPrivacy")) {
      throw error(dp.get(), f.path("dp_strategy"), "only NoDifferentialPrivacy is supported, got " + name);
    }
  }

  /**
   * The drafts whose tasks can be provisioned: those the aggregator serves and the schema's {@code tasks.protocol}
   * check admits.
   */
  static final java.util.Set<DapVersion> PROVISIONABLE = java.util.EnumSet.of(DapVersion.DAP_09, DapVersion.DAP_18);

  private DapVersion protocol(Node node, String path) {
    String text = text(node, path);
    return DapVersion.fromText(text).filter(PROVISIONABLE::contains).orElseThrow(() -> error(node, path,
        "protocol must be one of " + PROVISIONABLE.stream().map(DapVersion::text).sorted().toList() + ", got "
            + text));
  }

  private Role role(Node node, String path) {
    return switch (text(node, path)) {
      case "Leader" -> Role.LEADER;
      case "Helper" -> Role.HELPER;
      default -> throw error(node, path, "role must be Leader or Helper");
    };
  }

  private HpkeConfig hpkeConfig(Node node, String path) {
    Fields f = fields(node, path, Set.of("id", "kem_id", "kdf_id", "aead_id", "public_key"));
    int id = (int) integer(f.required("id"), f.path("id"), 0, 255);
    int kem = algorithm(f.required("kem_id"), f.path("kem_id"), HpkeAlgorithmNames.KEMS);
    int kdf = algorithm(f.required("kdf_id"), f.path("kdf_id"), HpkeAlgorithmNames.KDFS);
    int aead = algorithm(f.required("aead_id"), f.path("aead_id"), HpkeAlgorithmNames.AEADS);
    byte[] pk = base64(f.required("public_key"), f.path("public_key"));
    return parse(f.required("public_key"), f.path("public_key"), () -> new HpkeConfig(id, kem, kdf, aead, pk));
  }

  private List<HpkeKeypair> hpkeKeys(Node node, String path) {
    if (!(node instanceof SequenceNode seq)) {
      throw error(node, path, "expected a list of HPKE keypairs");
    }
    List<HpkeKeypair> out = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      String itemPath = path + "[" + i + "]";
      Fields f = fields(item, itemPath, Set.of("config", "private_key"));
      HpkeConfig config = hpkeConfig(f.required("config"), f.path("config"));
      if (!Hpke.isSupported(config)) {
        throw error(f.required("config"), f.path("config"), "reports cannot be decrypted with this HPKE suite "
            + "(supported: KEM X25519HkdfSha256 or P256HkdfSha256, KDF HkdfSha256, AEAD Aes128Gcm, Aes256Gcm or "
            + "ChaCha20Poly1305)");
      }
      if (!ids.add(config.id())) {
        throw error(f.required("config"), f.path("config") + ".id", "HPKE config id " + config.id()
            + " is used by another key of this task");
      }
      byte[] sk = base64(f.required("private_key"), f.path("private_key"));
      HpkeKeypair keypair = parse(f.required("private_key"), f.path("private_key"),
          () -> new HpkeKeypair(config, sk));
      HpkeKeyCheck.requireMatchingKeys(keypair).ifPresent(reason -> {
        throw error(item, itemPath, reason);
      });
      out.add(keypair);
    }
    return out;
  }

  private void checkPublicKey(Node node, String path, HpkeConfig config) {
    HpkeKeyCheck.requireValidPublicKey(config).ifPresent(reason -> {
      throw error(node, path + ".public_key", reason);
    });
  }

  private AuthenticationToken token(Node node, String path) {
    Fields f = fields(node, path, Set.of("type", "token"));
    AuthenticationTokenType type = tokenType(f.required("type"), f.path("type"));
    String token = text(f.required("token"), f.path("token"));
    // The constructor's message names the rule, never the token.
    return parse(f.required("token"), f.path("token"), () -> new AuthenticationToken(type, token));
  }

  private AuthenticationTokenHash tokenHash(Node node, String path) {
    Fields f = fields(node, path, Set.of("type", "hash"));
    AuthenticationTokenType type = tokenType(f.required("type"), f.path("type"));
    byte[] hash = base64(f.required("hash"), f.path("hash"));
    return parse(f.required("hash"), f.path("hash"), () -> new AuthenticationTokenHash(type, hash));
  }

  private AuthenticationTokenType tokenType(Node node, String path) {
    return switch (text(node, path)) {
      case "DapAuth" -> AuthenticationTokenType.DAP_AUTH;
      case "Bearer" -> AuthenticationTokenType.BEARER;
      default -> throw error(node, path, "token type must be DapAuth or Bearer");
    };
  }

  private int algorithm(Node node, String path, Map<Integer, String> names) {
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
      return (int) integer(node, path, 0, 0xffff);
    }
    String name = text(node, path);
    return HpkeAlgorithmNames.idOf(names, name).orElseThrow(() -> error(node, path,
        "unknown algorithm \"" + name + "\" (expected one of " + String.join(", ", sorted(names.values()))
            + ", or a numeric identifier)"));
  }

  private URI url(Node node, String path) {
    String text = text(node, path);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw error(node, path, "not a valid URL: " + e.getReason());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
        || uri.getHost() == null) {
      throw error(node, path, "expected an http:// or https:// URL with a host");
    }
    // Janus treats endpoints as directories: relative DAP paths resolve under them only with a trailing slash.
    return text.endsWith("/") ? uri : URI.create(text + "/");
  }

  private byte[] base64(Node node, String path) {
    String text = text(node, path);
    return parse(node, path, () -> Base64Url.decode(text));
  }

  private long integer(Node node, String path, long min, long max) {
    if (!(node instanceof ScalarNode s) || !s.getTag().equals(Tag.INT)) {
      throw error(node, path, "expected an integer");
    }
    long v;
    try {
      v = Long.parseLong(s.getValue().replace("_", ""));
    } catch (NumberFormatException e) {
      throw error(node, path, "expected a decimal integer that fits in 63 bits");
    }
    if (v < min || v > max) {
      throw error(node, path, max == Long.MAX_VALUE ? "must be at least " + min
          : "must be between " + min + " and " + max);
    }
    return v;
  }

  private String text(Node node, String path) {
    if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
      throw error(node, path, "expected a text value");
    }
    return s.getValue();
  }

  /** The name a tagged node carries ({@code !Prio3Sum {...}}), or the text of a plain scalar ({@code Prio3Count}). */
  private String tagOrScalarName(Node node, String path, String expected) {
    String tag = node.getTag().getValue();
    if (tag.startsWith("!") && !tag.startsWith("!!")) {
      return tag.substring(1);
    }
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.STR)) {
      return s.getValue();
    }
    throw error(node, path, "expected " + expected);
  }

  private void noParameters(Node node, String path, String name) {
    boolean empty = node instanceof ScalarNode
        || (node instanceof MappingNode m && m.getValue().isEmpty());
    if (!empty) {
      throw error(node, path, name + " takes no parameters");
    }
  }

  private Fields fields(Node node, String path, Set<String> allowed) {
    if (node instanceof ScalarNode s && s.getValue().isEmpty()) {
      // A bare tag such as "query_type: !FixedSize" has no parameters: every key takes its default.
      return new Fields(node, path, Map.of());
    }
    if (!(node instanceof MappingNode m)) {
      throw error(node, path, "expected a mapping");
    }
    Map<String, Node> values = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
      String keyPath = path + "." + key;
      if (!allowed.contains(key)) {
        throw error(t.getKeyNode(), keyPath, "unknown key (expected one of "
            + String.join(", ", sorted(allowed)) + ")");
      }
      if (values.put(key, t.getValueNode()) != null) {
        throw error(t.getKeyNode(), keyPath, "duplicate key");
      }
    }
    return new Fields(node, path, values);
  }

  private <T> T parse(Node node, String path, Parser<T> parser) {
    try {
      return parser.parse();
    } catch (IllegalArgumentException e) {
      throw error(node, path, e.getMessage());
    }
  }

  private TaskFileException error(Node node, String path, String reason) {
    return new TaskFileException(at(node), path, reason);
  }

  private String at(Node node) {
    return at(node.getStartMark());
  }

  private String at(Mark mark) {
    return mark == null ? source : source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  private static List<String> sorted(java.util.Collection<String> names) {
    List<String> out = new ArrayList<>(names);
    out.sort(null);
    return out;
  }

  /** A value parser whose {@link IllegalArgumentException} becomes a {@link TaskFileException}. */
  @FunctionalInterface
  private interface Parser<T> {
    T parse();
  }

  /** The entries of one YAML mapping, with the key path they sit at. */
  private final class Fields {
    private final Node node;
    private final String path;
    private final Map<String, Node> values;

    Fields(Node node, String path, Map<String, Node> values) {
      this.node = node;
      this.path = path;
      this.values = values;
    }

    String path(String key) {
      return path + "." + key;
    }

    /** The value of a key that must be present and not null. */
    Node required(String key) {
      return optional(key).orElseThrow(() -> error(node, path(key), "missing required key"));
    }

    /** The value of a key, or empty if it is absent or null. */
    Optional<Node> optional(String key) {
      Node v = values.get(key);
      if (v == null || (v instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
        return Optional.empty();
      }
      return Optional.of(v);
    }
  }
}
