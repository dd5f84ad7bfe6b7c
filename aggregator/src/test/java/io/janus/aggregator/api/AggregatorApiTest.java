package io.janus.aggregator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.Main;
import io.janus.aggregator.RequestLimits;
import io.janus.aggregator.ServerLimits;
import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.Task;
import io.janus.messages.Base64Url;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.TaskId;
import io.janus.server.binary.BinaryServices;
import io.janus.server.binary.RunningBinary;
import io.janus.server.config.ListenAddress;
import io.janus.server.datastore.Crypter;
import io.janus.server.datastore.Datastore;
import io.janus.server.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The admin API over real HTTP and PostgreSQL, served by the aggregator binary under a path prefix of the DAP
 * listener (and, in {@link OwnListener}, on a listener of its own): every route's success, authentication and
 * content negotiation, bad input, not-found and conflict, in Janus 0.7's JSON shapes. A task created through the
 * API then takes a real upload on the DAP API.
 */
class AggregatorApiTest {
  private static final String TOKEN = "YWRtaW4tdG9rZW4";
  private static final String MEDIA = AggregatorApi.MEDIA_TYPE;
  private static final URI PUBLIC_DAP_URL = URI.create("https://dap.example/");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static TestDatabase db;
  private static Datastore datastore;
  private static RunningBinary aggregator;
  private static URI dap;
  private static URI api;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    datastore = new Datastore(db.dataSource(), Crypter.fromDatastoreKeys(Crypter.generateKey(RANDOM)), Clock.SYSTEM,
        10, new SimpleMeterRegistry());
    aggregator = startAggregator(new AggregatorApiConfig(Optional.empty(), Optional.of("/api/"), PUBLIC_DAP_URL));
    dap = URI.create("http://127.0.0.1:" + aggregator.port().orElseThrow() + "/");
    api = dap.resolve("api/");
  }

  @AfterAll
  static void stop() {
    aggregator.close();
    db.close();
  }

  private static RunningBinary startAggregator(AggregatorApiConfig config) {
    Main.Settings settings = new Main.Settings(new ListenAddress("127.0.0.1", 0),
        new Aggregator.Settings(10, 10, 4, 4, 600_000, 100, 1_800_000), RequestLimits.DEFAULT, ServerLimits.DEFAULT,
        Optional.of(new Main.AdminApi(config, List.of("another-token", TOKEN))));
    return Main.start(settings, BinaryServices.of(Clock.SYSTEM, datastore, new SimpleMeterRegistry()));
  }

  // ---- requests -------------------------------------------------------------------------------------------------

  private static HttpResponse<String> call(URI base, String method, String path, String body,
      Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> call(String method, String path, String body) {
    Map<String, String> headers = body == null
        ? Map.of("Authorization", "Bearer " + TOKEN, "Accept", MEDIA)
        : Map.of("Authorization", "Bearer " + TOKEN, "Accept", MEDIA, "Content-Type", MEDIA);
    return call(api, method, path, body, headers);
  }

  private static JsonNode json(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as("status of %s %s: %s", r.request().method(), r.uri(), r.body()).isEqualTo(status);
    try {
      return ApiJson.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  /** Asserts a problem document with {@code status} whose detail mentions {@code detailPart}. */
  private static void problem(HttpResponse<String> r, int status, String detailPart) {
    JsonNode p = json(r, status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("detail").asText()).contains(detailPart);
  }

  private static String keyB64(int n) {
    byte[] k = new byte[n];
    RANDOM.nextBytes(k);
    return Base64Url.encode(k);
  }

  /** The collector's HPKE configuration and token hash of every task here (so a repeated post is the same). */
  private static final String COLLECTOR_CONFIG = ApiJson.hpkeConfig(Hpke.generate(7,
      HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM)
      .config()).toString();
  private static final String COLLECTOR_TOKEN_HASH = keyB64(32);

  private static String collectorConfig() {
    return COLLECTOR_CONFIG;
  }

  private static String leaderTask(String verifyKey, long minBatchSize) {
    return """
        {"peer_aggregator_endpoint": "https://helper.example/", "query_type": "TimeInterval",
         "vdaf": {"Prio3Histogram": {"length": 4, "chunk_length": 2,
                  "dp_strategy": {"dp_strategy": "NoDifferentialPrivacy"}}},
         "role": "Leader", "vdaf_verify_key": "%s", "max_batch_query_count": 1, "task_expiration": null,
         "min_batch_size": %d, "time_precision": 3600, "collector_hpke_config": %s,
         "aggregator_auth_token": {"type": "Bearer", "token": "bGVhZGVyLXRva2Vu"},
         "collector_auth_token_hash": {"type": "DapAuth", "hash": "%s"}}
        """.formatted(verifyKey, minBatchSize, collectorConfig(), COLLECTOR_TOKEN_HASH);
  }

  // ---- tests ----------------------------------------------------------------------------------------------------

  @Test
  void authenticationComesFirstThenContentNegotiation() {
    problem(call(api, "GET", "", null, Map.of("Accept", MEDIA)), 401, "bearer token");
    problem(call(api, "GET", "", null, Map.of("Authorization", "Bearer wrong", "Accept", MEDIA)), 401, "token");
    problem(call(api, "GET", "", null, Map.of("Authorization", "Basic " + TOKEN, "Accept", MEDIA)), 401, "token");
    // A bad token is refused before its body is looked at.
    problem(call(api, "POST", "tasks", "{not json", Map.of("Authorization", "Bearer x", "Accept", MEDIA,
        "Content-Type", "text/plain")), 401, "token");
    assertThat(call(api, "GET", "", null, Map.of("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(406);
    assertThat(call(api, "GET", "", null, Map.of("Authorization", "Bearer " + TOKEN, "Accept",
        "application/json")).statusCode()).isEqualTo(406);
    assertThat(call(api, "POST", "tasks", "{}", Map.of("Authorization", "Bearer " + TOKEN, "Accept", MEDIA,
        "Content-Type", "application/json")).statusCode()).isEqualTo(415);
    // Either configured token works.
    assertThat(call(api, "GET", "", null, Map.of("Authorization", "Bearer another-token", "Accept", MEDIA))
        .statusCode()).isEqualTo(200);
  }

  @Test
  void theRootDescribesTheAggregator() {
    HttpResponse<String> r = call("GET", "", null);
    JsonNode n = json(r, 200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(MEDIA);
    assertThat(n.get("protocol").asText()).isEqualTo("DAP-09");
    assertThat(n.get("dap_url").asText()).isEqualTo(PUBLIC_DAP_URL.toString());
    assertThat(n.get("role").asText()).isEqualTo("Either");
    assertThat(n.get("vdafs").toString()).contains("Prio3Count", "Prio3Sum", "Prio3Histogram", "Prio3SumVec");
    assertThat(n.get("query_types").toString()).isEqualTo("[\"TimeInterval\",\"FixedSize\"]");
    assertThat(n.get("features").toString()).contains("TokenHash", "UploadMetrics");
    // The DAP API next to it is untouched.
    assertThat(call(dap, "GET", "hpke_config", null, Map.of()).statusCode()).isEqualTo(400);
  }

  @Test
  void aLeaderTaskIsCreatedReadPagedPatchedAndDeleted() {
    String verifyKey = keyB64(16);
    JsonNode created = json(call("POST", "tasks", leaderTask(verifyKey, 10)), 200);
    String id = created.get("task_id").asText();
    assertThat(Base64Url.decode(id)).isEqualTo(sha256(Base64Url.decode(verifyKey)));
    assertThat(created.get("role").asText()).isEqualTo("Leader");
    assertThat(created.get("vdaf").toString()).isEqualTo("{\"Prio3Histogram\":{\"length\":4,\"chunk_length\":2,"
        + "\"dp_strategy\":{\"dp_strategy\":\"NoDifferentialPrivacy\"}}}");
    assertThat(created.get("query_type").asText()).isEqualTo("TimeInterval");
    assertThat(created.get("aggregator_auth_token").isNull()).isTrue();
    assertThat(created.get("report_expiry_age").asLong()).isEqualTo(14 * 24 * 3600);
    assertThat(created.get("tolerable_clock_skew").asLong()).isEqualTo(300);
    assertThat(created.get("aggregator_hpke_configs")).hasSize(1);

    JsonNode read = json(call("GET", "tasks/" + id, null), 200);
    assertThat(read).isEqualTo(created);
    // Posting the same task again is idempotent; the same key with other parameters conflicts.
    assertThat(json(call("POST", "tasks", leaderTask(verifyKey, 10)), 200).get("task_id").asText()).isEqualTo(id);
    problem(call("POST", "tasks", leaderTask(verifyKey, 11)), 409, "other parameters");

    JsonNode page = json(call("GET", "task_ids", null), 200);
    assertThat(page.get("task_ids").toString()).contains(id);
    String last = page.get("pagination_token").asText();
    assertThat(json(call("GET", "task_ids?pagination_token=" + last, null), 200).get("task_ids")).isEmpty();
    problem(call("GET", "task_ids?pagination_token=nope", null), 400, "pagination_token");

    assertThat(json(call("PATCH", "tasks/" + id, "{\"task_expiration\": 2000000000}"), 200)
        .get("task_expiration").asLong()).isEqualTo(2_000_000_000L);
    assertThat(datastore.run("t", tx -> tx.tasks().get(TaskId.fromBase64Url(id))).orElseThrow().taskExpiration())
        .hasValueSatisfying(t -> assertThat(t.seconds()).isEqualTo(2_000_000_000L));
    assertThat(json(call("PATCH", "tasks/" + id, "{}"), 200).get("task_expiration").asLong())
        .isEqualTo(2_000_000_000L);
    assertThat(json(call("PATCH", "tasks/" + id, "{\"task_expiration\": null}"), 200).get("task_expiration")
        .isNull()).isTrue();
    problem(call("PATCH", "tasks/" + id, "{\"report_expiry_age\": 5}"), 400, "unknown field report_expiry_age");

    JsonNode uploads = json(call("GET", "tasks/" + id + "/metrics/uploads", null), 200);
    assertThat(uploads.get("report_success").asLong()).isZero();
    assertThat(uploads.has("interval_collected")).isTrue();
    JsonNode aggregations = json(call("GET", "tasks/" + id + "/metrics/aggregations", null), 200);
    assertThat(aggregations.get("success").asLong()).isZero();
    assertThat(aggregations.has("helper_vdaf_prep_error")).isTrue();

    assertThat(call("DELETE", "tasks/" + id, null).statusCode()).isEqualTo(204);
    problem(call("GET", "tasks/" + id, null), 404, "no task");
    problem(call("GET", "tasks/" + id + "/metrics/uploads", null), 404, "no task");
    problem(call("PATCH", "tasks/" + id, "{\"task_expiration\": 1}"), 404, "no task");
    assertThat(call("DELETE", "tasks/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void aHelperTaskHandsOutItsGeneratedTokenOnceAndStoresOnlyTheHash() {
    String body = """
        {"peer_aggregator_endpoint": "https://leader.example/",
         "query_type": {"FixedSize": {"max_batch_size": 100, "batch_time_window_size": null}},
         "vdaf": {"Prio3Sum": {"bits": 8}}, "role": "Helper", "vdaf_verify_key": "%s", "max_batch_query_count": 1,
         "task_expiration": 2000000000, "min_batch_size": 10, "time_precision": 60, "collector_hpke_config": %s}
        """.formatted(keyB64(16), collectorConfig());
    JsonNode created = json(call("POST", "tasks", body), 200);
    JsonNode token = created.get("aggregator_auth_token");
    assertThat(token.get("type").asText()).isEqualTo("Bearer");
    assertThat(created.get("query_type").toString())
        .isEqualTo("{\"FixedSize\":{\"max_batch_size\":100,\"batch_time_window_size\":null}}");
    Task stored = datastore.run("t", tx -> tx.tasks().get(TaskId.fromBase64Url(created.get("task_id").asText())))
        .orElseThrow();
    assertThat(stored.aggregatorAuthTokenHash().orElseThrow()
        .matches(AuthenticationTokenType.BEARER, token.get("token").asText())).isTrue();
    assertThat(json(call("GET", "tasks/" + created.get("task_id").asText(), null), 200)
        .get("aggregator_auth_token").isNull()).isTrue();
    assertThat(json(call("POST", "tasks", body), 200).get("aggregator_auth_token").isNull()).isTrue();
    problem(call("POST", "tasks", body.replace("\"role\": \"Helper\"", "\"role\": \"Helper\", "
        + "\"aggregator_auth_token\": {\"type\": \"Bearer\", \"token\": \"abc\"}")), 400, "generates one");
  }

  @Test
  void aDap18HelperTaskKeepsItsTaskConfigurationTerms() {
    String body = """
        {"protocol": "DAP-18", "peer_aggregator_endpoint": "https://leader.example/",
         "query_type": {"FixedSize": {"max_batch_size": null, "batch_time_window_size": null}},
         "vdaf": {"Prio3Sum": {"max_measurement": 1000}}, "role": "Helper", "vdaf_verify_key": "%s",
         "max_batch_query_count": 1, "task_info": "ZmxlZXQ", "task_start": 1800000000, "task_duration": 72000,
         "min_batch_size": 10, "time_precision": 3600, "collector_hpke_config": %s}
        """.formatted(keyB64(32), collectorConfig());
    JsonNode created = json(call("POST", "tasks", body), 200);
    assertThat(created.get("protocol").asText()).isEqualTo("DAP-18");
    assertThat(created.get("task_info").asText()).isEqualTo("ZmxlZXQ");
    assertThat(created.get("task_start").asLong()).isEqualTo(1_800_000_000L);
    assertThat(created.get("task_duration").asLong()).isEqualTo(72_000L);
    Task stored = datastore.run("t", tx -> tx.tasks().get(TaskId.fromBase64Url(created.get("task_id").asText())))
        .orElseThrow();
    io.janus.core.task.TaskAgreement agreement = stored.agreement().orElseThrow();
    // This aggregator's own endpoint in the task's configuration is its public DAP URL.
    assertThat(agreement.helperEndpoint()).isEqualTo(PUBLIC_DAP_URL);
    assertThat(agreement.leaderEndpoint()).hasToString("https://leader.example/");
    assertThat(agreement.vdaf()).isEqualTo(new io.janus.core.task.VdafInstance.Prio3SumMaxMeasurement(1000));
    assertThat(json(call("POST", "tasks", body), 200).get("task_id")).isEqualTo(created.get("task_id"));

    problem(call("POST", "tasks", body.replace("\"task_info\": \"ZmxlZXQ\", ", "")), 400, "task_info");
    problem(call("POST", "tasks", body.replace("\"task_duration\": 72000,", "")), 400,
        "task_start and task_duration go together");
    problem(call("POST", "tasks", body.replace("\"protocol\": \"DAP-18\"", "\"protocol\": \"DAP-07\"")),
        400, "protocol must be DAP-09 or DAP-18");
    problem(call("POST", "tasks", body.replace("\"protocol\": \"DAP-18\", ", "")), 400,
        "a DAP-09 task cannot run the VDAF");
    problem(call("POST", "tasks", leaderTask(keyB64(16), 10).replace("\"role\"", "\"task_info\": \"eA\", \"role\"")),
        400, "task_info is for DAP-18 tasks");
    problem(call("POST", "tasks", body.replace("\"task_start\": 1800000000, \"task_duration\": 72000,",
        "\"task_expiration\": 1800000000,")), 400, "task_start and task_duration, not task_expiration");
  }

  @Test
  void malformedTasksAreRefusedWithTheirReason() {
    String good = leaderTask(keyB64(16), 10);
    problem(call("POST", "tasks", good.replace("\"min_batch_size\"", "\"surprise\": 1, \"min_batch_size\"")),
        400, "unknown field surprise");
    problem(call("POST", "tasks", good.replace("\"role\": \"Leader\"", "\"role\": \"Collector\"")), 400, "role");
    problem(call("POST", "tasks", leaderTask("!!!", 10)), 400, "vdaf_verify_key is not unpadded base64url");
    problem(call("POST", "tasks", leaderTask(keyB64(15), 10)), 400, "must be 16 bytes");
    problem(call("POST", "tasks", good.replace("\"min_batch_size\": 10,", "")), 400, "missing field min_batch_size");
    problem(call("POST", "tasks", good.replace("\"min_batch_size\": 10", "\"min_batch_size\": -1")), 400,
        "min_batch_size must be a non-negative integer");
    problem(call("POST", "tasks", good.replace("\"NoDifferentialPrivacy\"", "\"PureDpDiscreteLaplace\"")), 400,
        "dp_strategy");
    problem(call("POST", "tasks", good.replace("\"Prio3Histogram\"", "\"Poplar1\"")), 400, "unknown VDAF");
    problem(call("POST", "tasks", good.replace("\"time_precision\": 3600", "\"time_precision\": 0")), 400,
        "time_precision");
    problem(call("POST", "tasks", good.replace("https://helper.example/", "not a url")), 400,
        "peer_aggregator_endpoint");
    problem(call("POST", "tasks", good.replace("\"X25519HkdfSha256\"", "\"Nope\"")), 400,
        "collector_hpke_config.kem_id");
    problem(call("POST", "tasks", good.replace("\"aggregator_auth_token\": {\"type\": \"Bearer\", "
        + "\"token\": \"bGVhZGVyLXRva2Vu\"},", "")), 400, "needs aggregator_auth_token");
    problem(call("POST", "tasks", "{\"peer"), 400, "not valid JSON");
    problem(call("POST", "tasks", "[1, 2]"), 400, "must be a JSON object");
    problem(call("POST", "tasks", "{\"pad\": \"" + "x".repeat(AggregatorApi.MAX_BODY_BYTES) + "\"}"), 413,
        "longer than");
    problem(call("GET", "tasks/not-a-task-id", null), 400, "not a task ID");
    assertThat(call("GET", "no_such_route", null).statusCode()).isEqualTo(404);
  }

  @Test
  void globalHpkeKeysGoThroughTheirStates() {
    JsonNode first = json(call("PUT", "hpke_configs", "{}"), 201);
    int id = first.get("config").get("id").asInt();
    assertThat(first.get("state").asText()).isEqualTo("Pending");
    assertThat(first.get("config").get("kem_id").asText()).isEqualTo("X25519HkdfSha256");
    JsonNode p256 = json(call("PUT", "hpke_configs", "{\"kem_id\": \"P256HkdfSha256\", \"aead_id\": "
        + "\"Aes256Gcm\"}"), 201);
    assertThat(p256.get("config").get("id").asInt()).isNotEqualTo(id);
    assertThat(p256.get("config").get("aead_id").asText()).isEqualTo("Aes256Gcm");
    problem(call("PUT", "hpke_configs", "{\"kem_id\": \"X448HkdfSha512\"}"), 400, "not supported");
    problem(call("PUT", "hpke_configs", "{\"kem\": 1}"), 400, "unknown field kem");

    assertThat(json(call("GET", "hpke_configs", null), 200).size()).isGreaterThanOrEqualTo(2);
    assertThat(call("PATCH", "hpke_configs/" + id, "{\"state\": \"Active\"}").statusCode()).isEqualTo(200);
    assertThat(json(call("GET", "hpke_configs/" + id, null), 200).get("state").asText()).isEqualTo("Active");
    problem(call("PATCH", "hpke_configs/" + id, "{\"state\": \"Deleted\"}"), 400, "state must be");
    problem(call("PATCH", "hpke_configs/250", "{\"state\": \"Expired\"}"), 404, "no global HPKE key");
    problem(call("GET", "hpke_configs/256", null), 400, "0..255");
    problem(call("GET", "hpke_configs/x", null), 400, "0..255");
    assertThat(call("DELETE", "hpke_configs/" + id, null).statusCode()).isEqualTo(204);
    problem(call("GET", "hpke_configs/" + id, null), 404, "no global HPKE key");
    assertThat(call("DELETE", "hpke_configs/" + p256.get("config").get("id").asInt(), null).statusCode())
        .isEqualTo(204);
  }

  @Test
  void taskprovPeersAreAddedListedWithoutSecretsAndDeleted() {
    String peer = """
        {"endpoint": "https://peer.example/", "role": "Leader", "collector_hpke_config": %s,
         "verify_key_init": "%s", "report_expiry_age": null, "tolerable_clock_skew": 60,
         "aggregator_auth_tokens": [{"type": "Bearer", "token": "cGVlci10b2tlbg"}], "collector_auth_tokens": []}
        """.formatted(collectorConfig(), keyB64(32));
    JsonNode added = json(call("POST", "taskprov/peer_aggregators", peer), 201);
    assertThat(added.get("endpoint").asText()).isEqualTo("https://peer.example/");
    assertThat(added.has("verify_key_init")).isFalse();
    assertThat(added.has("aggregator_auth_tokens")).isFalse();
    problem(call("POST", "taskprov/peer_aggregators", peer), 409, "delete it first");
    JsonNode list = json(call("GET", "taskprov/peer_aggregators", null), 200);
    assertThat(list.toString()).contains("https://peer.example/").doesNotContain("cGVlci10b2tlbg");
    problem(call("POST", "taskprov/peer_aggregators", peer.replace("\"verify_key_init\": \"",
        "\"verify_key_init\": \"AA")), 400, "verify_key_init");
    assertThat(call("DELETE", "taskprov/peer_aggregators",
        "{\"endpoint\": \"https://peer.example/\", \"role\": \"Leader\"}").statusCode()).isEqualTo(204);
    assertThat(json(call("GET", "taskprov/peer_aggregators", null), 200).toString())
        .doesNotContain("https://peer.example/");
    problem(call("DELETE", "taskprov/peer_aggregators", "{\"endpoint\": \"https://peer.example/\"}"), 400,
        "missing field role");
  }

  @Test
  void aTaskCreatedThroughTheApiTakesUploads() {
    JsonNode created = json(call("POST", "tasks", leaderTask(keyB64(16), 1)), 200);
    TaskId id = TaskId.fromBase64Url(created.get("task_id").asText());
    HttpResponse<String> config = call(dap, "GET", "hpke_config?task_id=" + id.toBase64Url(), null, Map.of());
    assertThat(config.statusCode()).isEqualTo(200);
    io.janus.core.task.VdafInstance vdaf = new io.janus.core.task.VdafInstance.Prio3Histogram(4, 2);
    HpkeKeypair helper = Hpke.generate(1, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    io.janus.client.Client client = io.janus.client.Client.builder(id, dap, dap,
            io.janus.messages.DapDuration.ofSeconds(3600), vdaf)
        .helperHpkeConfig(helper.config()).build();
    client.upload(2);
    assertThat(json(call("GET", "tasks/" + id.toBase64Url() + "/metrics/uploads", null), 200)
        .get("report_success").asLong()).isEqualTo(1);
  }

  /** The API on a listener of its own: served there, and not on the DAP listener. */
  @Nested
  class OwnListener {
    @Test
    void theApiAnswersOnItsOwnPortOnly() throws IOException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      try (RunningBinary own = startAggregator(new AggregatorApiConfig(
          Optional.of(new ListenAddress("127.0.0.1", port)), Optional.empty(), PUBLIC_DAP_URL))) {
        URI ownApi = URI.create("http://127.0.0.1:" + port + "/");
        Map<String, String> headers = Map.of("Authorization", "Bearer " + TOKEN, "Accept", MEDIA);
        assertThat(call(ownApi, "GET", "", null, headers).statusCode()).isEqualTo(200);
        assertThat(call(ownApi, "GET", "task_ids", null, headers).statusCode()).isEqualTo(200);
        URI ownDap = URI.create("http://127.0.0.1:" + own.port().orElseThrow() + "/");
        assertThat(call(ownDap, "GET", "task_ids", null, headers).statusCode()).isEqualTo(404);
      }
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
