package io.janus.aggregator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeAlgorithmNames;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.hpke.UnsupportedHpkeSuiteException;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.TaskVdafs;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.DatastoreUnavailableException;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.server.datastore.model.TaskprovPeerAggregator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin API for an operator's tooling, in the shape of Janus 0.7's aggregator API so tooling written against
 * Janus drives this server unchanged: media type {@value #MEDIA_TYPE}, bearer tokens from
 * {@code AGGREGATOR_API_AUTH_TOKENS}, and the routes {@code GET /}, {@code GET /task_ids}, {@code POST /tasks},
 * {@code GET|PATCH|DELETE /tasks/{task_id}}, {@code GET /tasks/{task_id}/metrics/uploads|aggregations},
 * {@code GET|PUT /hpke_configs}, {@code GET|PATCH|DELETE /hpke_configs/{config_id}} and
 * {@code GET|POST|DELETE /taskprov/peer_aggregators}.
 *
 * <p>Every request is checked in this order: the bearer token (401 without a configured one, compared in constant
 * time), then {@code Accept} (406 unless it names the media type) and {@code Content-Type} (415 unless absent or the
 * media type), then the body (at most {@value #MAX_BODY_BYTES} bytes, strict JSON: unknown fields are 400). Errors
 * are problem documents naming the reason; a database outage is 503 with {@code Retry-After}.
 */
public final class AggregatorApi implements HttpService {
  /** The media type of every request and response body (Janus's). */
  public static final String MEDIA_TYPE = "application/vnd.janus.aggregator+json;version=0.1";

  /** The environment variable holding the comma-separated bearer tokens the API accepts. */
  public static final String AUTH_TOKENS_ENV = "AGGREGATOR_API_AUTH_TOKENS";

  /** The largest request body read; every admin request is a few hundred bytes. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Task IDs per {@code GET /task_ids} page. */
  static final int TASK_IDS_PAGE = 1000;

  /** Janus's defaults for what {@code POST /tasks} does not take: two weeks, five minutes. */
  static final DapDuration REPORT_EXPIRY_AGE = DapDuration.ofSeconds(14 * 24 * 3600);
  static final DapDuration TOLERABLE_CLOCK_SKEW = DapDuration.ofSeconds(300);

  private static final Logger LOG = Logger.getLogger(AggregatorApi.class.getName());
  private static final HeaderName RETRY_AFTER = HeaderNames.RETRY_AFTER;
  private static final String PROBLEM_TYPE = "application/problem+json";

  private final Datastore datastore;
  private final SecureRandom random;
  private final URI publicDapUrl;
  private final List<byte[]> tokenDigests;

  /**
   * An API over {@code datastore} accepting {@code authTokens} (none: every request is refused with 401).
   *
   * @param publicDapUrl the DAP API's public URL, reported by {@code GET /}
   */
  public AggregatorApi(Datastore datastore, SecureRandom random, URI publicDapUrl, List<String> authTokens) {
    this.datastore = datastore;
    this.random = random;
    this.publicDapUrl = publicDapUrl;
    this.tokenDigests = authTokens.stream().map(t -> sha256(t.getBytes(StandardCharsets.US_ASCII))).toList();
  }

  /**
   * The tokens in {@code AGGREGATOR_API_AUTH_TOKENS}'s value: comma-separated, empty entries ignored, each a
   * bearer token (unpadded base64url is what Janus generates).
   *
   * @throws IllegalArgumentException naming the variable and the entry's position (never its value)
   */
  public static List<String> parseTokens(String value) {
    List<String> tokens = new ArrayList<>();
    String[] parts = value == null ? new String[0] : value.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String t = parts[i].trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        new AuthenticationToken(AuthenticationTokenType.BEARER, t);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(AUTH_TOKENS_ENV + ": entry " + (i + 1) + " is not a bearer token ("
            + e.getMessage() + ")");
      }
      tokens.add(t);
    }
    return List.copyOf(tokens);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.any(this::checkRequest)
        .get("/", handle(this::config))
        .get("/task_ids", handle(this::taskIds))
        .post("/tasks", handle(this::postTask))
        .get("/tasks/{task_id}", handle(this::getTask))
        .patch("/tasks/{task_id}", handle(this::patchTask))
        .delete("/tasks/{task_id}", handle(this::deleteTask))
        .get("/tasks/{task_id}/metrics/uploads", handle(this::uploadMetrics))
        .get("/tasks/{task_id}/metrics/aggregations", handle(this::aggregationMetrics))
        .get("/hpke_configs", handle(this::globalKeys))
        .put("/hpke_configs", handle(this::putGlobalKey))
        .get("/hpke_configs/{config_id}", handle(this::getGlobalKey))
        .patch("/hpke_configs/{config_id}", handle(this::patchGlobalKey))
        .delete("/hpke_configs/{config_id}", handle(this::deleteGlobalKey))
        .get("/taskprov/peer_aggregators", handle(this::peers))
        .post("/taskprov/peer_aggregators", handle(this::postPeer))
        .delete("/taskprov/peer_aggregators", handle(this::deletePeer));
  }

  /** Authentication, then content negotiation; the route runs only if both pass. */
  private void checkRequest(ServerRequest req, ServerResponse res) {
    if (!authorized(req)) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
      problem(res, 401, "A valid admin API bearer token is required.");
      return;
    }
    if (!req.headers().first(HeaderNames.ACCEPT).map(AggregatorApi::namesMediaType).orElse(false)) {
      problem(res, 406, "Accept must be " + MEDIA_TYPE + ".");
      return;
    }
    Optional<String> contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
    if (contentType.isPresent() && !namesMediaType(contentType.get())) {
      problem(res, 415, "Content-Type must be " + MEDIA_TYPE + ".");
      return;
    }
    res.next();
  }

  private boolean authorized(ServerRequest req) {
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = sha256(header.get().substring(7).trim().getBytes(StandardCharsets.US_ASCII));
    boolean match = false;
    // Every configured token is compared, each in constant time, so timing tells nothing about which matched.
    for (byte[] d : tokenDigests) {
      match |= MessageDigest.isEqual(d, presented);
    }
    return match;
  }

  /** Whether a header value (possibly a list) names the media type, ignoring case and spaces. */
  private static boolean namesMediaType(String value) {
    String wanted = MEDIA_TYPE.replace(" ", "");
    for (String part : value.split(",")) {
      if (part.replace(" ", "").toLowerCase(Locale.ROOT).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private interface Route {
    void handle(ServerRequest req, ServerResponse res);
  }

  /** Runs {@code route}, answering its refusals and faults with problem documents. */
  private Handler handle(Route route) {
    return (req, res) -> {
      try {
        route.handle(req, res);
      } catch (ApiException e) {
        problem(res, e.status(), e.getMessage());
      } catch (DatastoreUnavailableException e) {
        LOG.log(Level.WARNING, "admin API: the database is unavailable: " + e.getMessage());
        res.header(RETRY_AFTER, "5");
        problem(res, 503, "The database is unavailable; try again later.");
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "admin API: " + req.prologue().method().text() + " " + req.path().path()
            + " failed", e);
        problem(res, 500, "Internal error; the aggregator's log has the details.");
      }
    };
  }

  // ---- GET / ------------------------------------------------------------------------------------------------

  private void config(ServerRequest req, ServerResponse res) {
    ObjectNode n = ApiJson.MAPPER.createObjectNode();
    // Janus reports one draft; DAP-09 tooling reads this field, so it stays, and "protocols" lists every draft.
    n.put("protocol", "DAP-09");
    n.putArray("protocols").add("DAP-09").add("DAP-18");
    n.put("dap_url", publicDapUrl.toString());
    n.put("role", "Either");
    n.putArray("vdafs").add("Prio3Count").add("Prio3Sum").add("Prio3Histogram").add("Prio3SumVec")
        .add("Prio3SumVecField64MultiproofHmacSha256Aes128");
    n.putArray("query_types").add("TimeInterval").add("FixedSize");
    n.putArray("features").add("TokenHash").add("UploadMetrics").add("TimeBucketedFixedSize")
        .add("AggregationJobMetrics");
    n.put("software_name", "janus-java");
    String version = AggregatorApi.class.getPackage().getImplementationVersion();
    n.put("software_version", version == null ? "development" : version);
    send(res, 200, n);
  }

  // ---- tasks ------------------------------------------------------------------------------------------------

  private void taskIds(ServerRequest req, ServerResponse res) {
    Optional<TaskId> after = req.query().first("pagination_token").asOptional()
        .map(t -> parseTaskId(t, "pagination_token"));
    List<TaskId> ids = datastore.run("api_get_task_ids", tx -> tx.tasks().ids(after, TASK_IDS_PAGE));
    ObjectNode n = ApiJson.MAPPER.createObjectNode();
    ArrayNode list = n.putArray("task_ids");
    ids.forEach(id -> list.add(id.toBase64Url()));
    if (!ids.isEmpty()) {
      n.put("pagination_token", ids.get(ids.size() - 1).toBase64Url());
    }
    send(res, 200, n);
  }

  /**
   * Creates a task from Janus's {@code PostTaskReq}. The task ID is SHA-256 of the verify key (as Janus derives
   * it), so posting the same task twice is idempotent and posting another task with the same key is a 409. A
   * Helper task gets a fresh bearer token for the Leader, returned once in this response and stored only as its
   * hash; each task gets an X25519 HPKE key of its own.
   *
   * <p>{@code protocol} (beyond Janus 0.7; default {@code DAP-09}) picks the draft. A DAP-18 task also takes, as
   * Janus main's API does, {@code task_info} (unpadded base64url) and optionally {@code task_start} with
   * {@code task_duration} (its interval, instead of {@code task_expiration}); this aggregator's own endpoint in the
   * task's configuration is its public DAP URL.
   */
  private void postTask(ServerRequest req, ServerResponse res) {
    ApiJson.Reader r = ApiJson.Reader.body(body(req)).only("peer_aggregator_endpoint", "query_type", "vdaf", "role",
        "vdaf_verify_key", "max_batch_query_count", "task_expiration", "min_batch_size", "time_precision",
        "collector_hpke_config", "aggregator_auth_token", "collector_auth_token_hash", "protocol", "task_info",
        "task_start", "task_duration");
    Role role = r.aggregatorRole("role");
    DapVersion protocol = r.optional("protocol").isEmpty() ? DapVersion.DAP_09
        : DapVersion.fromText(r.string("protocol")).orElseThrow(() -> ApiException.badRequest(
            "protocol must be DAP-09 or DAP-18, got " + r.string("protocol")));
    VdafInstance vdaf = r.vdaf("vdaf");
    if (!vdaf.runsUnder(protocol)) {
      throw ApiException.badRequest("a " + protocol.text() + " task cannot run the VDAF " + vdaf.toJson());
    }
    byte[] verifyKey = r.base64Url("vdaf_verify_key");
    int expectedKeyLength = TaskVdafs.PRODUCTION.vdaf(protocol, new TaskId(new byte[TaskId.LENGTH]), vdaf)
        .verifyKeyLength();
    if (verifyKey.length != expectedKeyLength) {
      throw ApiException.badRequest("vdaf_verify_key must be " + expectedKeyLength + " bytes for this VDAF, got "
          + verifyKey.length);
    }
    TaskId id = new TaskId(sha256(verifyKey));
    Task.Builder b = Task.builder(id, role, r.url("peer_aggregator_endpoint"), r.queryType("query_type"), vdaf,
            verifyKey, DapDuration.ofSeconds(r.unsigned("time_precision")), r.hpkeConfig("collector_hpke_config"))
        .maxBatchQueryCount(r.unsigned("max_batch_query_count"))
        .minBatchSize(r.unsigned("min_batch_size"))
        .reportExpiryAge(REPORT_EXPIRY_AGE)
        .tolerableClockSkew(TOLERABLE_CLOCK_SKEW);
    if (protocol == DapVersion.DAP_09) {
      // A DAP-18 task's clients fetch /hpke_config without a task ID, so it uses the global keys.
      b.hpkeKeys(List.of(Hpke.generate(random.nextInt(256), HpkeAlgorithms.KEM_X25519_HKDF_SHA256,
          HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM)));
    }
    b.protocol(protocol);
    if (protocol == DapVersion.DAP_18) {
      dap18Terms(r, b);
    } else {
      for (String field : List.of("task_info", "task_start", "task_duration")) {
        if (r.optional(field).isPresent()) {
          throw ApiException.badRequest(field + " is for DAP-18 tasks; this task is DAP-09");
        }
      }
      r.optionalUnsigned("task_expiration").ifPresent(t -> b.taskExpiration(new Time(t)));
    }
    Optional<AuthenticationToken> generated = Optional.empty();
    if (role == Role.LEADER) {
      if (r.optional("aggregator_auth_token").isEmpty()) {
        throw ApiException.badRequest("a Leader task needs aggregator_auth_token");
      }
      if (r.optional("collector_auth_token_hash").isEmpty()) {
        throw ApiException.badRequest("a Leader task needs collector_auth_token_hash");
      }
      b.aggregatorAuthToken(r.token("aggregator_auth_token"))
          .collectorAuthTokenHash(r.tokenHash("collector_auth_token_hash"));
    } else {
      if (r.optional("aggregator_auth_token").isPresent()) {
        throw ApiException.badRequest("a Helper task is not given aggregator_auth_token: it generates one");
      }
      if (r.optional("collector_auth_token_hash").isPresent()) {
        throw ApiException.badRequest("a Helper task takes no collector_auth_token_hash");
      }
      byte[] secret = new byte[16];
      random.nextBytes(secret);
      AuthenticationToken token = new AuthenticationToken(AuthenticationTokenType.BEARER, Base64Url.encode(secret));
      b.aggregatorAuthTokenHash(token.hash());
      generated = Optional.of(token);
    }
    Task task;
    try {
      task = b.build();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid task: " + e.getMessage());
    }
    Task stored = datastore.run("api_post_task", tx -> {
      Optional<Task> existing = tx.tasks().get(task.id());
      if (existing.isEmpty()) {
        tx.tasks().put(task);
        return task;
      }
      if (!sameParameters(existing.get(), task)) {
        throw ApiException.conflict("a task with this VDAF verify key (task ID " + task.id().toBase64Url()
            + ") exists with other parameters");
      }
      return existing.get();
    });
    // A repeated post returns the stored task; its Helper token was handed out by the first post only.
    send(res, 200, ApiJson.task(stored, stored == task ? generated : Optional.empty()));
  }

  /** A DAP-18 task's task_info, interval and own endpoint (this aggregator's public DAP URL). */
  private void dap18Terms(ApiJson.Reader r, Task.Builder b) {
    if (r.optional("task_expiration").isPresent()) {
      throw ApiException.badRequest("a DAP-18 task gives its interval as task_start and task_duration, not "
          + "task_expiration");
    }
    byte[] info = r.base64Url("task_info");
    OptionalLong start = r.optionalUnsigned("task_start");
    OptionalLong duration = r.optionalUnsigned("task_duration");
    if (start.isPresent() != duration.isPresent()) {
      throw ApiException.badRequest("task_start and task_duration go together");
    }
    Optional<Time> taskStart = Optional.empty();
    if (start.isPresent()) {
      taskStart = Optional.of(new Time(start.getAsLong()));
      b.taskExpiration(new Time(Math.addExact(start.getAsLong(), duration.getAsLong())));
    }
    try {
      b.agreedTerms(new AgreedTerms(info, publicDapUrl, taskStart));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid task: " + e.getMessage());
    }
  }

  /** Janus's idempotency rule: the same task but for what the server generates (keys, tokens). */
  private static boolean sameParameters(Task a, Task b) {
    return a.peerAggregatorEndpoint().equals(b.peerAggregatorEndpoint()) && a.queryType().equals(b.queryType())
        && a.vdaf().equals(b.vdaf()) && MessageDigest.isEqual(a.vdafVerifyKey(), b.vdafVerifyKey())
        && a.role() == b.role() && a.maxBatchQueryCount() == b.maxBatchQueryCount()
        && a.taskExpiration().equals(b.taskExpiration()) && a.minBatchSize() == b.minBatchSize()
        && a.timePrecision().equals(b.timePrecision()) && a.collectorHpkeConfig().equals(b.collectorHpkeConfig())
        && a.protocol() == b.protocol() && a.agreedTerms().equals(b.agreedTerms());
  }

  private void getTask(ServerRequest req, ServerResponse res) {
    TaskId id = taskIdParam(req);
    Task task = datastore.run("api_get_task", tx -> tx.tasks().get(id)).orElseThrow(() -> noTask(id));
    send(res, 200, ApiJson.task(task, Optional.empty()));
  }

  /** Changes what Janus lets change: {@code task_expiration} (null clears it; absent leaves it). */
  private void patchTask(ServerRequest req, ServerResponse res) {
    TaskId id = taskIdParam(req);
    ApiJson.Reader r = ApiJson.Reader.body(body(req)).only("task_expiration");
    Optional<Optional<Time>> expiration = r.has("task_expiration")
        ? Optional.of(r.optionalUnsigned("task_expiration").stream().mapToObj(Time::new).findAny())
        : Optional.empty();
    Task task = datastore.run("api_patch_task", tx -> {
      if (expiration.isPresent() && !tx.tasks().setExpiration(id, expiration.get())) {
        return Optional.<Task>empty();
      }
      return tx.tasks().get(id);
    }).orElseThrow(() -> noTask(id));
    send(res, 200, ApiJson.task(task, Optional.empty()));
  }

  /** Deletes the task and everything stored for it; deleting a task that does not exist succeeds too (Janus). */
  private void deleteTask(ServerRequest req, ServerResponse res) {
    TaskId id = taskIdParam(req);
    datastore.run("api_delete_task", tx -> tx.tasks().delete(id));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void uploadMetrics(ServerRequest req, ServerResponse res) {
    TaskId id = taskIdParam(req);
    ObjectNode n = datastore.run("api_get_task_upload_metrics", tx -> tx.tasks().get(id).isEmpty()
        ? Optional.<ObjectNode>empty() : Optional.of(ApiJson.uploadCounter(tx.taskCounters().getUpload(id))))
        .orElseThrow(() -> noTask(id));
    send(res, 200, n);
  }

  private void aggregationMetrics(ServerRequest req, ServerResponse res) {
    TaskId id = taskIdParam(req);
    ObjectNode n = datastore.run("api_get_task_aggregation_metrics", tx -> tx.tasks().get(id).isEmpty()
        ? Optional.<ObjectNode>empty()
        : Optional.of(ApiJson.aggregationCounter(tx.taskCounters().getAggregation(id))))
        .orElseThrow(() -> noTask(id));
    send(res, 200, n);
  }

  // ---- global HPKE keys ---------------------------------------------------------------------------------------

  private void globalKeys(ServerRequest req, ServerResponse res) {
    ArrayNode list = ApiJson.MAPPER.createArrayNode();
    datastore.run("api_get_global_hpke_configs", tx -> tx.hpkeKeys().getAll()).forEach(k -> list.add(
        ApiJson.globalKey(k)));
    send(res, 200, list);
  }

  private void getGlobalKey(ServerRequest req, ServerResponse res) {
    int configId = configIdParam(req);
    GlobalHpkeKeypair k = datastore.run("api_get_global_hpke_config", tx -> tx.hpkeKeys().get(configId))
        .orElseThrow(() -> noKey(configId));
    send(res, 200, ApiJson.globalKey(k));
  }

  /**
   * Generates a global key (Janus's defaults: X25519, HKDF-SHA256, AES-128-GCM) under the lowest free config ID,
   * in state Pending: the key rotator or a PATCH makes it active once every aggregator has it cached.
   */
  private void putGlobalKey(ServerRequest req, ServerResponse res) {
    ApiJson.Reader r = ApiJson.Reader.body(body(req)).only("kem_id", "kdf_id", "aead_id");
    int kem = r.optional("kem_id").isPresent() ? r.algorithm("kem_id", HpkeAlgorithmNames.KEMS)
        : HpkeAlgorithms.KEM_X25519_HKDF_SHA256;
    int kdf = r.optional("kdf_id").isPresent() ? r.algorithm("kdf_id", HpkeAlgorithmNames.KDFS)
        : HpkeAlgorithms.KDF_HKDF_SHA256;
    int aead = r.optional("aead_id").isPresent() ? r.algorithm("aead_id", HpkeAlgorithmNames.AEADS)
        : HpkeAlgorithms.AEAD_AES_128_GCM;
    if (!Hpke.isSupported(kem, kdf, aead)) {
      throw ApiException.badRequest("HPKE suite (KEM " + kem + ", KDF " + kdf + ", AEAD " + aead
          + ") is not supported");
    }
    GlobalHpkeKeypair k = datastore.run("api_put_global_hpke_config", tx -> {
      Set<Integer> taken = new HashSet<>();
      tx.hpkeKeys().getAll().forEach(g -> taken.add(g.keypair().config().id()));
      int id = 0;
      while (id <= 255 && taken.contains(id)) {
        id++;
      }
      if (id > 255) {
        throw ApiException.conflict("all 256 HPKE config IDs are taken by global keys");
      }
      HpkeKeypair keypair = generate(id, kem, kdf, aead);
      tx.hpkeKeys().put(keypair);
      return tx.hpkeKeys().get(id).orElseThrow();
    });
    send(res, 201, ApiJson.globalKey(k));
  }

  private static HpkeKeypair generate(int id, int kem, int kdf, int aead) {
    try {
      return Hpke.generate(id, kem, kdf, aead);
    } catch (UnsupportedHpkeSuiteException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private void patchGlobalKey(ServerRequest req, ServerResponse res) {
    int configId = configIdParam(req);
    HpkeKeyState state = ApiJson.Reader.body(body(req)).only("state").keyState("state");
    if (!datastore.run("api_patch_global_hpke_config", tx -> tx.hpkeKeys().setState(configId, state))) {
      throw noKey(configId);
    }
    res.status(Status.OK_200).send();
  }

  private void deleteGlobalKey(ServerRequest req, ServerResponse res) {
    int configId = configIdParam(req);
    datastore.run("api_delete_global_hpke_config", tx -> tx.hpkeKeys().delete(configId));
    res.status(Status.NO_CONTENT_204).send();
  }

  // ---- taskprov peers -------------------------------------------------------------------------------------------

  private void peers(ServerRequest req, ServerResponse res) {
    ArrayNode list = ApiJson.MAPPER.createArrayNode();
    datastore.run("api_get_taskprov_peer_aggregators", tx -> tx.taskprovPeers().getAll())
        .forEach(p -> list.add(ApiJson.peer(p)));
    send(res, 200, list);
  }

  /** Adds a peer; changing one means deleting and adding it again, as in Janus (409 while it exists). */
  private void postPeer(ServerRequest req, ServerResponse res) {
    ApiJson.Reader r = ApiJson.Reader.body(body(req)).only("endpoint", "role", "collector_hpke_config",
        "verify_key_init", "report_expiry_age", "tolerable_clock_skew", "aggregator_auth_tokens",
        "collector_auth_tokens");
    byte[] verifyKeyInit = r.base64Url("verify_key_init");
    if (verifyKeyInit.length != 32) {
      throw ApiException.badRequest("verify_key_init must be 32 bytes, got " + verifyKeyInit.length);
    }
    TaskprovPeerAggregator peer;
    try {
      peer = new TaskprovPeerAggregator(r.url("endpoint"), r.aggregatorRole("role"), verifyKeyInit,
          r.hpkeConfig("collector_hpke_config"),
          r.optionalUnsigned("report_expiry_age").stream().mapToObj(DapDuration::ofSeconds).findAny(),
          DapDuration.ofSeconds(r.unsigned("tolerable_clock_skew")), r.tokens("aggregator_auth_tokens"),
          r.tokens("collector_auth_tokens"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid peer aggregator: " + e.getMessage());
    }
    TaskprovPeerAggregator stored = datastore.run("api_post_taskprov_peer_aggregator", tx -> {
      if (!tx.taskprovPeers().put(peer)) {
        throw ApiException.conflict("a peer aggregator with endpoint " + peer.endpoint() + " and role "
            + ApiJson.roleName(peer.peerRole()) + " exists; delete it first to change it");
      }
      return tx.taskprovPeers().get(peer.endpoint(), peer.peerRole()).orElseThrow();
    });
    send(res, 201, ApiJson.peer(stored));
  }

  private void deletePeer(ServerRequest req, ServerResponse res) {
    ApiJson.Reader r = ApiJson.Reader.body(body(req)).only("endpoint", "role");
    URI endpoint = r.url("endpoint");
    Role role = r.aggregatorRole("role");
    datastore.run("api_delete_taskprov_peer_aggregator", tx -> tx.taskprovPeers().delete(endpoint, role));
    res.status(Status.NO_CONTENT_204).send();
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  /** The request body as JSON, read only up to {@link #MAX_BODY_BYTES}. */
  private static JsonNode body(ServerRequest req) {
    if (req.headers().contentLength().orElse(0) > MAX_BODY_BYTES) {
      throw ApiException.tooLarge(MAX_BODY_BYTES);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (req.content().hasEntity()) {
      byte[] buffer = new byte[8192];
      try (InputStream in = req.content().inputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          out.write(buffer, 0, n);
          if (out.size() > MAX_BODY_BYTES) {
            throw ApiException.tooLarge(MAX_BODY_BYTES);
          }
        }
      } catch (IOException | UncheckedIOException e) {
        throw ApiException.badRequest("the request body could not be read");
      }
    }
    if (out.size() == 0) {
      throw ApiException.badRequest("a JSON request body is required");
    }
    try {
      return ApiJson.MAPPER.readTree(out.toByteArray());
    } catch (IOException e) {
      throw ApiException.badRequest("the request body is not valid JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }

  private static TaskId taskIdParam(ServerRequest req) {
    return parseTaskId(req.path().pathParameters().get("task_id"), "task ID");
  }

  private static TaskId parseTaskId(String text, String what) {
    try {
      return TaskId.fromBase64Url(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(what + " is not a task ID (32 bytes, unpadded base64url)");
    }
  }

  private static int configIdParam(ServerRequest req) {
    String text = req.path().pathParameters().get("config_id");
    try {
      int id = Integer.parseInt(text);
      if (id >= 0 && id <= 255) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw ApiException.badRequest("HPKE config ID must be an integer in 0..255");
  }

  private static ApiException noTask(TaskId id) {
    return ApiException.notFound("no task " + id.toBase64Url());
  }

  private static ApiException noKey(int configId) {
    return ApiException.notFound("no global HPKE key with config ID " + configId);
  }

  private static void send(ServerResponse res, int status, JsonNode body) {
    res.status(Status.create(status)).header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE).send(body.toString()
        .getBytes(StandardCharsets.UTF_8));
  }

  private static void problem(ServerResponse res, int status, String detail) {
    ObjectNode n = ApiJson.MAPPER.createObjectNode();
    n.put("type", "about:blank");
    n.put("title", Status.create(status).reasonPhrase());
    n.put("status", status);
    n.put("detail", detail);
    res.status(Status.create(status)).header(HeaderNames.CONTENT_TYPE, PROBLEM_TYPE).send(n.toString()
        .getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
