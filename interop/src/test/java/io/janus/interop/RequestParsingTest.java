package io.janus.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.DapVersion;
import io.janus.core.task.QueryType;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.BatchId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing and rendering of every test API request, and the error message of each kind of bad field. */
class RequestParsingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TaskId TASK = new TaskId(new byte[32]);
  private static final String TASK_B64 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  private static final HpkeConfig COLLECTOR_CONFIG = Hpke.generate(7, HpkeAlgorithms.KEM_X25519_HKDF_SHA256,
      HpkeAlgorithms.KDF_HKDF_SHA256, HpkeAlgorithms.AEAD_AES_128_GCM).config();

  private static JsonFields fields(String json) {
    try {
      return JsonFields.of(MAPPER.readTree(json));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonFields fields(JsonNode node) {
    return JsonFields.of(node);
  }

  static Stream<Arguments> vdafs() {
    return Stream.of(
        Arguments.of("{\"type\":\"Prio3Count\"}", new VdafInstance.Prio3Count()),
        Arguments.of("{\"type\":\"Prio3Sum\",\"bits\":\"16\"}", new VdafInstance.Prio3Sum(16)),
        Arguments.of("{\"type\":\"Prio3SumVec\",\"bits\":\"8\",\"length\":\"12\",\"chunk_length\":\"4\"}",
            new VdafInstance.Prio3SumVec(8, 12, 4)),
        Arguments.of("{\"type\":\"Prio3Histogram\",\"length\":\"10\",\"chunk_length\":\"3\"}",
            new VdafInstance.Prio3Histogram(10, 3)),
        // Janus 0.7 interop_binaries' VdafObject: the serde name as type, proofs among the string parameters.
        Arguments.of("{\"type\":\"Prio3SumVecField64MultiproofHmacSha256Aes128\",\"proofs\":\"2\",\"bits\":\"16\","
            + "\"length\":\"15\",\"chunk_length\":\"16\"}",
            new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 16, 15, 16)),
        // Keys a VDAF does not use are ignored (the draft lets new keys appear).
        Arguments.of("{\"type\":\"Prio3Count\",\"bits\":\"3\"}", new VdafInstance.Prio3Count()));
  }

  @ParameterizedTest
  @MethodSource("vdafs")
  void vdafObjectMapsToTheTaskModel(String json, VdafInstance expected) {
    assertThat(VdafObject.parse(fields(json))).isEqualTo(expected);
    assertThat(VdafObject.parse(fields(VdafObject.toJson(expected)))).isEqualTo(expected);
  }

  static Stream<Arguments> badVdafs() {
    return Stream.of(
        Arguments.of("{\"type\":\"Poplar1\",\"bits\":\"8\"}", "unsupported VDAF type \"Poplar1\""),
        Arguments.of("{\"type\":\"Prio3Quux\"}", "unsupported VDAF type \"Prio3Quux\""),
        Arguments.of("{}", "missing field \"type\""),
        Arguments.of("{\"type\":7}", "field \"type\" must be a string"),
        Arguments.of("{\"type\":\"Prio3Sum\"}", "missing field \"bits\""),
        Arguments.of("{\"type\":\"Prio3Sum\",\"bits\":8}", "field \"bits\" must be a base-10 string"),
        Arguments.of("{\"type\":\"Prio3Sum\",\"bits\":\"0\"}", "field \"bits\" must be in 1..64, got 0"),
        Arguments.of("{\"type\":\"Prio3Sum\",\"bits\":\"65\"}", "field \"bits\" must be in 1..64, got 65"),
        Arguments.of("{\"type\":\"Prio3Sum\",\"bits\":\"-3\"}", "field \"bits\" is not a base-10 integer"),
        Arguments.of("{\"type\":\"Prio3Sum\",\"bits\":\" 8\"}", "field \"bits\" is not a base-10 integer"),
        Arguments.of("{\"type\":\"Prio3Sum\",\"bits\":\"99999999999999999999\"}", "field \"bits\" is out of range"),
        Arguments.of("{\"type\":\"Prio3Histogram\",\"length\":\"4\"}", "missing field \"chunk_length\""),
        Arguments.of("{\"type\":\"Prio3SumVec\",\"bits\":\"8\",\"length\":\"0\",\"chunk_length\":\"1\"}",
            "field \"length\" must be in 1..2147483647, got 0"),
        Arguments.of("{\"type\":\"Prio3SumVecField64MultiproofHmacSha256Aes128\",\"bits\":\"8\",\"length\":\"4\","
            + "\"chunk_length\":\"1\"}", "missing field \"proofs\""),
        Arguments.of("{\"type\":\"Prio3SumVecField64MultiproofHmacSha256Aes128\",\"proofs\":\"1\",\"bits\":\"8\","
            + "\"length\":\"4\",\"chunk_length\":\"1\"}", "field \"proofs\" must be in 2..255, got 1"));
  }

  @ParameterizedTest
  @MethodSource("badVdafs")
  void badVdafObjectsNameTheProblem(String json, String message) {
    assertThatThrownBy(() -> VdafObject.parse(fields(json)))
        .isInstanceOf(InteropRequestException.class).hasMessageContaining(message);
  }

  @Test
  void nestedFieldsAreNamedWithTheirPath() {
    JsonFields request = fields("{\"vdaf\":{\"type\":\"Prio3Sum\",\"bits\":\"x\"}}");
    assertThatThrownBy(() -> VdafObject.parse(request.object("vdaf")))
        .hasMessageContaining("field \"vdaf.bits\" is not a base-10 integer: \"x\"");
    assertThatThrownBy(() -> fields("{\"vdaf\":\"Prio3Count\"}").object("vdaf"))
        .hasMessageContaining("field \"vdaf\" must be a JSON object");
  }

  static Stream<Arguments> queries() {
    BatchId batch = new BatchId(new byte[32]);
    return Stream.of(
        Arguments.of("{\"type\":1,\"batch_interval_start\":3600,\"batch_interval_duration\":7200}",
            new Query.TimeInterval(new Interval(new Time(3600), new DapDuration(7200)))),
        Arguments.of("{\"type\":2,\"subtype\":1}", new Query.FixedSizeCurrentBatch()),
        Arguments.of("{\"type\":2,\"subtype\":0,\"batch_id\":\"" + TASK_B64 + "\"}",
            new Query.FixedSizeByBatchId(batch)));
  }

  @ParameterizedTest
  @MethodSource("queries")
  void queryObjectMapsToDap09Queries(String json, Query expected) {
    assertThat(QueryObject.parse(fields(json))).isEqualTo(expected);
    assertThat(QueryObject.parse(fields(QueryObject.toJson(expected)))).isEqualTo(expected);
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
        Arguments.of("{\"type\":3}", "field \"type\" must be 1 (time interval) or 2 (fixed size), got 3"),
        Arguments.of("{\"type\":\"1\"}", "field \"type\" must be an integer number"),
        Arguments.of("{\"type\":1,\"batch_interval_start\":3600}", "missing field \"batch_interval_duration\""),
        Arguments.of("{\"type\":1,\"batch_interval_start\":-1,\"batch_interval_duration\":1}",
            "field \"batch_interval_start\" must be a non-negative 63-bit integer"),
        Arguments.of("{\"type\":1,\"batch_interval_start\":1.5,\"batch_interval_duration\":1}",
            "field \"batch_interval_start\" must be an integer number"),
        Arguments.of("{\"type\":1,\"batch_interval_start\":9223372036854775807,\"batch_interval_duration\":1}",
            "invalid batch interval"),
        Arguments.of("{\"type\":2}", "missing field \"subtype\""),
        Arguments.of("{\"type\":2,\"subtype\":2}", "field \"subtype\" must be in 0..1, got 2"),
        Arguments.of("{\"type\":2,\"subtype\":0}", "missing field \"batch_id\""),
        Arguments.of("{\"type\":2,\"subtype\":0,\"batch_id\":\"AAAA\"}", "must encode 32 bytes, got 3"),
        Arguments.of("{\"type\":2,\"subtype\":0,\"batch_id\":\"A*==\"}", "field \"batch_id\" is not valid base64url"));
  }

  @ParameterizedTest
  @MethodSource("badQueries")
  void badQueriesNameTheProblem(String json, String message) {
    assertThatThrownBy(() -> QueryObject.parse(fields(json)))
        .isInstanceOf(InteropRequestException.class).hasMessageContaining(message);
  }

  static Stream<Arguments> measurements() {
    return Stream.of(
        Arguments.of(new VdafInstance.Prio3Count(), "\"1\"", new long[] {1}),
        Arguments.of(new VdafInstance.Prio3Sum(8), "\"255\"", new long[] {255}),
        Arguments.of(new VdafInstance.Prio3Sum(64), "\"9223372036854775807\"", new long[] {Long.MAX_VALUE}),
        Arguments.of(new VdafInstance.Prio3Histogram(4, 2), "\"3\"", new long[] {3}),
        Arguments.of(new VdafInstance.Prio3SumVec(4, 3, 1), "[\"0\",\"15\",\"7\"]", new long[] {0, 15, 7}),
        Arguments.of(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 4, 3, 1),
            "[\"0\",\"15\",\"7\"]", new long[] {0, 15, 7}));
  }

  @ParameterizedTest
  @MethodSource("measurements")
  void measurementsParseAndRender(VdafInstance vdaf, String json, long[] expected) {
    JsonFields f = fields("{\"measurement\":" + json + "}");
    assertThat(Measurement.parse(vdaf, f, "measurement")).containsExactly(expected);
    assertThat(Measurement.toJson(vdaf, expected).toString()).isEqualTo(json);
  }

  static Stream<Arguments> badMeasurements() {
    return Stream.of(
        Arguments.of(new VdafInstance.Prio3Count(), "\"2\"", "field \"measurement\" must be in 0..1, got 2"),
        Arguments.of(new VdafInstance.Prio3Count(), "1", "field \"measurement\" must be a base-10 string"),
        Arguments.of(new VdafInstance.Prio3Sum(8), "\"256\"", "must be in 0..255, got 256"),
        Arguments.of(new VdafInstance.Prio3Histogram(4, 2), "\"4\"", "must be in 0..3, got 4"),
        Arguments.of(new VdafInstance.Prio3SumVec(4, 3, 1), "\"1\"", "must be an array of base-10 strings"),
        Arguments.of(new VdafInstance.Prio3SumVec(4, 3, 1), "[\"1\"]", "must have 3 entries, got 1"),
        Arguments.of(new VdafInstance.Prio3SumVec(4, 3, 1), "[\"1\",\"16\",\"0\"]",
            "field \"measurement[1]\" must be in 0..15, got 16"),
        Arguments.of(new VdafInstance.Prio3SumVec(4, 3, 1), "[\"1\",\"x\",\"0\"]",
            "field \"measurement[1]\" is not a base-10 integer"),
        Arguments.of(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 4, 3, 1),
            "[\"1\",\"16\",\"0\"]", "field \"measurement[1]\" must be in 0..15, got 16"));
  }

  @ParameterizedTest
  @MethodSource("badMeasurements")
  void badMeasurementsNameTheProblem(VdafInstance vdaf, String json, String message) {
    assertThatThrownBy(() -> Measurement.parse(vdaf, fields("{\"measurement\":" + json + "}"), "measurement"))
        .isInstanceOf(InteropRequestException.class).hasMessageContaining(message);
  }

  @Test
  void resultsRenderAsTheDraftSays() {
    assertThat(Measurement.resultToJson(new VdafInstance.Prio3Count(), new long[] {5}).toString())
        .isEqualTo("\"5\"");
    assertThat(Measurement.resultToJson(new VdafInstance.Prio3Sum(64), new long[] {-1}).toString())
        .isEqualTo("\"18446744073709551615\"");
    assertThat(Measurement.resultToJson(new VdafInstance.Prio3Histogram(3, 1), new long[] {1, 0, 2}).toString())
        .isEqualTo("[\"1\",\"0\",\"2\"]");
    assertThat(Measurement.resultToJson(new VdafInstance.Prio3SumVec(2, 1, 1), new long[] {3}).toString())
        .isEqualTo("[\"3\"]");
    assertThat(Measurement.resultToJson(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 2, 1, 1),
        new long[] {3}).toString()).isEqualTo("[\"3\"]");
  }

  private static AggregatorAddTaskRequest addTask(Role role, io.janus.messages.dap09.QueryType type,
      OptionalLong maxBatchSize) {
    Optional<AuthenticationToken> collector = role == Role.LEADER
        ? Optional.of(new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "collector-token"))
        : Optional.empty();
    return new AggregatorAddTaskRequest(TASK, URI.create("http://leader:8080/"), URI.create("http://helper:8080/"),
        new VdafInstance.Prio3SumVec(8, 4, 2), new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "agg-token"),
        collector, role, new byte[16], 3, type, 10, maxBatchSize, new DapDuration(3600), COLLECTOR_CONFIG,
        Optional.of(new Time(2_000_000_000L)));
  }

  static Stream<AggregatorAddTaskRequest> addTaskRequests() {
    return Stream.of(
        addTask(Role.LEADER, io.janus.messages.dap09.QueryType.TIME_INTERVAL, OptionalLong.empty()),
        addTask(Role.HELPER, io.janus.messages.dap09.QueryType.TIME_INTERVAL, OptionalLong.empty()),
        addTask(Role.LEADER, io.janus.messages.dap09.QueryType.FIXED_SIZE, OptionalLong.of(20)),
        addTask(Role.HELPER, io.janus.messages.dap09.QueryType.FIXED_SIZE, OptionalLong.empty()));
  }

  @ParameterizedTest
  @MethodSource("addTaskRequests")
  void aggregatorAddTaskRoundTrips(AggregatorAddTaskRequest request) {
    assertThat(AggregatorAddTaskRequest.parse(fields(request.toJson()))).isEqualTo(request);
  }

  @Test
  void aggregatorAddTaskBuildsTheRoleSpecificTask() {
    AggregatorAddTaskRequest leader = addTask(Role.LEADER, io.janus.messages.dap09.QueryType.FIXED_SIZE,
        OptionalLong.of(20));
    Task l = leader.toTask(List.of(), new DapDuration(60));
    assertThat(l.role()).isEqualTo(Role.LEADER);
    assertThat(l.peerAggregatorEndpoint()).isEqualTo(URI.create("http://helper:8080/"));
    assertThat(l.queryType()).isEqualTo(new QueryType.FixedSize(OptionalLong.of(20), Optional.empty()));
    assertThat(l.aggregatorAuthToken()).contains(leader.leaderAuthenticationToken());
    assertThat(l.collectorAuthTokenHash()).contains(leader.collectorAuthenticationToken().orElseThrow().hash());
    assertThat(l.maxBatchQueryCount()).isEqualTo(3);
    assertThat(l.minBatchSize()).isEqualTo(10);
    assertThat(l.taskExpiration()).contains(new Time(2_000_000_000L));

    AggregatorAddTaskRequest helper = addTask(Role.HELPER, io.janus.messages.dap09.QueryType.TIME_INTERVAL,
        OptionalLong.empty());
    Task h = helper.toTask(List.of(), new DapDuration(60));
    assertThat(h.peerAggregatorEndpoint()).isEqualTo(URI.create("http://leader:8080/"));
    assertThat(h.queryType()).isEqualTo(new QueryType.TimeInterval());
    assertThat(h.aggregatorAuthTokenHash()).contains(helper.leaderAuthenticationToken().hash());
    assertThat(h.aggregatorAuthToken()).isEmpty();
  }

  private static ObjectNode leaderJson() {
    return addTask(Role.LEADER, io.janus.messages.dap09.QueryType.FIXED_SIZE, OptionalLong.of(20)).toJson();
  }

  static Stream<Arguments> badAddTasks() {
    return Stream.of(
        Arguments.of(leaderJson().without("task_id"), "missing field \"task_id\""),
        Arguments.of(leaderJson().put("task_id", "AAAA"), "field \"task_id\" must encode 32 bytes, got 3"),
        Arguments.of(leaderJson().put("task_id", "not base64!"), "field \"task_id\" is not valid base64url"),
        Arguments.of(leaderJson().put("leader", "leader:8080"), "field \"leader\" must be an absolute http(s) URL"),
        Arguments.of(leaderJson().put("role", "collector"), "field \"role\" must be \"leader\" or \"helper\""),
        Arguments.of(leaderJson().without("collector_authentication_token"),
            "missing field \"collector_authentication_token\""),
        Arguments.of(leaderJson().put("leader_authentication_token", "has space"),
            "field \"leader_authentication_token\" is not a valid DAP-Auth-Token"),
        Arguments.of(leaderJson().put("vdaf_verify_key", "%%%"), "field \"vdaf_verify_key\" is not valid base64url"),
        Arguments.of(leaderJson().put("max_batch_query_count", 0), "field \"max_batch_query_count\" must be in 1.."),
        Arguments.of(leaderJson().put("query_type", 0), "field \"query_type\" must be 1 (time interval) or 2"),
        Arguments.of(leaderJson().put("min_batch_size", "10"), "field \"min_batch_size\" must be an integer number"),
        Arguments.of(leaderJson().put("max_batch_size", 0), "field \"max_batch_size\" must be in 1.."),
        Arguments.of(leaderJson().put("time_precision", 0), "field \"time_precision\" must be in 1.."),
        Arguments.of(leaderJson().put("collector_hpke_config", "AAAA"),
            "field \"collector_hpke_config\" is not an encoded HpkeConfig"),
        Arguments.of(leaderJson().put("task_expiration", -5), "field \"task_expiration\" must be a non-negative"),
        Arguments.of(leaderJson().set("vdaf", MAPPER.createObjectNode().put("type", "Poplar1")),
            "unsupported VDAF type \"Poplar1\" in field \"vdaf.type\""));
  }

  @ParameterizedTest
  @MethodSource("badAddTasks")
  void badAggregatorAddTasksNameTheField(ObjectNode json, String message) {
    assertThatThrownBy(() -> AggregatorAddTaskRequest.parse(fields(json)))
        .isInstanceOf(InteropRequestException.class).hasMessageContaining(message);
  }

  @Test
  void helperAddTaskIgnoresCollectorTokenAndNullMaxBatchSizeIsNoLimit() {
    ObjectNode json = addTask(Role.HELPER, io.janus.messages.dap09.QueryType.FIXED_SIZE, OptionalLong.empty())
        .toJson();
    assertThat(json.get("max_batch_size").isNull()).isTrue();
    json.put("collector_authentication_token", "ignored");
    AggregatorAddTaskRequest parsed = AggregatorAddTaskRequest.parse(fields(json));
    assertThat(parsed.collectorAuthenticationToken()).isEmpty();
    assertThat(parsed.maxBatchSize()).isEmpty();
  }

  @Test
  void otherRequestsRoundTrip() {
    UploadRequest upload = new UploadRequest(TASK, URI.create("http://l/"), URI.create("http://h/"),
        new VdafInstance.Prio3SumVec(2, 2, 1), new long[] {1, 3}, Optional.of(new Time(7200)), new DapDuration(3600));
    assertThat(UploadRequest.parse(fields(upload.toJson()))).isEqualTo(upload);
    UploadRequest noTime = new UploadRequest(TASK, URI.create("http://l/"), URI.create("http://h/"),
        new VdafInstance.Prio3Count(), new long[] {0}, Optional.empty(), new DapDuration(1));
    assertThat(UploadRequest.parse(fields(noTime.toJson()))).isEqualTo(noTime);

    EndpointForTaskRequest endpoint = new EndpointForTaskRequest(TASK, Role.HELPER, "helper.example");
    assertThat(EndpointForTaskRequest.parse(fields(endpoint.toJson()))).isEqualTo(endpoint);

    CollectorAddTaskRequest collector = new CollectorAddTaskRequest(TASK, URI.create("https://leader/dap/"),
        new VdafInstance.Prio3Histogram(3, 1), new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "t"),
        io.janus.messages.dap09.QueryType.FIXED_SIZE);
    assertThat(CollectorAddTaskRequest.parse(fields(collector.toJson()))).isEqualTo(collector);

    CollectionStartRequest start = new CollectionStartRequest(TASK, new byte[] {1, 2},
        new Query.FixedSizeCurrentBatch());
    assertThat(CollectionStartRequest.parse(fields(start.toJson()))).isEqualTo(start);
    assertThat(start.toJson().get("agg_param").textValue()).isEqualTo("AQI");

    assertThat(CollectionPollRequest.parse(fields("{\"handle\":\"h1\"}"))).isEqualTo(new CollectionPollRequest("h1"));
  }

  @Test
  void uploadFieldsAreChecked() {
    ObjectNode base = new UploadRequest(TASK, URI.create("http://l/"), URI.create("http://h/"),
        new VdafInstance.Prio3Sum(4), new long[] {3}, Optional.empty(), new DapDuration(10)).toJson();
    assertThatThrownBy(() -> UploadRequest.parse(fields(base.deepCopy().put("measurement", "16"))))
        .hasMessageContaining("field \"measurement\" must be in 0..15, got 16");
    assertThatThrownBy(() -> UploadRequest.parse(fields(base.deepCopy().put("time", "now"))))
        .hasMessageContaining("field \"time\" must be an integer number");
    assertThatThrownBy(() -> UploadRequest.parse(fields(base.deepCopy().without("time_precision"))))
        .hasMessageContaining("missing field \"time_precision\"");
    assertThatThrownBy(() -> UploadRequest.parse(fields(base.deepCopy().put("helper", "ftp://h/"))))
        .hasMessageContaining("field \"helper\" must be an absolute http(s) URL");
    // A null optional field counts as absent.
    assertThat(UploadRequest.parse(fields(base.deepCopy().putNull("time"))).time()).isEmpty();
  }

  // ---- DAP-18 (the form of Janus main's interop binaries) ----

  private static final URI LEADER = URI.create("http://leader:8080/");
  private static final URI HELPER = URI.create("http://helper:8080/");

  static Stream<Arguments> vdafs18() {
    return Stream.of(
        Arguments.of("{\"type\":\"Prio3Count\"}", new VdafInstance.Prio3Count()),
        Arguments.of("{\"type\":\"Prio3Sum\",\"max_measurement\":\"255\"}",
            new VdafInstance.Prio3SumMaxMeasurement(255)),
        Arguments.of("{\"type\":\"Prio3SumVec\",\"max_measurement\":\"4096\",\"length\":\"4\","
            + "\"chunk_length\":\"18\"}", new VdafInstance.Prio3SumVecMaxMeasurement(4096, 4, 18)),
        Arguments.of("{\"type\":\"Prio3Histogram\",\"length\":\"6\",\"chunk_length\":\"2\"}",
            new VdafInstance.Prio3Histogram(6, 2)),
        Arguments.of("{\"type\":\"Prio3Sum\",\"max_measurement\":\"4611686018427387904\"}",
            new VdafInstance.Prio3SumMaxMeasurement(1L << 62)));
  }

  @ParameterizedTest
  @MethodSource("vdafs18")
  void dap18VdafObjectsMapToVdaf18Records(String json, VdafInstance expected) {
    assertThat(VdafObject.parse(fields(json), DapVersion.DAP_18)).isEqualTo(expected);
    assertThat(VdafObject.parse(fields(VdafObject.toJson(expected)), DapVersion.DAP_18)).isEqualTo(expected);
  }

  static Stream<Arguments> badVdafs18() {
    return Stream.of(
        Arguments.of("{\"type\":\"Prio3Sum\",\"bits\":\"8\"}",
            "field \"bits\" is the DAP-09 form of a VDAF parameter, but this is a DAP-18 request"),
        Arguments.of("{\"type\":\"Prio3SumVec\",\"bits\":\"8\",\"max_measurement\":\"255\",\"length\":\"2\","
            + "\"chunk_length\":\"1\"}", "field \"bits\" is the DAP-09 form"),
        Arguments.of("{\"type\":\"Prio3Sum\"}", "missing field \"max_measurement\""),
        Arguments.of("{\"type\":\"Prio3Sum\",\"max_measurement\":\"0\"}",
            "field \"max_measurement\" must be in 1..4611686018427387904, got 0"),
        Arguments.of("{\"type\":\"Prio3Sum\",\"max_measurement\":255}",
            "field \"max_measurement\" must be a base-10 string"),
        Arguments.of("{\"type\":\"Prio3SumVec\",\"max_measurement\":\"9\",\"length\":\"2\"}",
            "missing field \"chunk_length\""),
        Arguments.of("{\"type\":\"Prio3SumVecField64MultiproofHmacSha256Aes128\",\"proofs\":\"2\","
            + "\"max_measurement\":\"255\",\"length\":\"4\",\"chunk_length\":\"2\"}",
            "VDAF type \"Prio3SumVecField64MultiproofHmacSha256Aes128\" in field \"type\" has no VDAF-18 form here"),
        Arguments.of("{\"type\":\"Poplar1\",\"bits\":\"8\"}", "field \"bits\" is the DAP-09 form"),
        Arguments.of("{\"type\":\"Prio3MultihotCountVec\",\"length\":\"4\"}",
            "unsupported VDAF type \"Prio3MultihotCountVec\" in field \"type\"; supported: Prio3Count, Prio3Sum,"
                + " Prio3SumVec, Prio3Histogram"));
  }

  @ParameterizedTest
  @MethodSource("badVdafs18")
  void badDap18VdafObjectsNameTheProblem(String json, String message) {
    assertThatThrownBy(() -> VdafObject.parse(fields(json), DapVersion.DAP_18))
        .isInstanceOf(InteropRequestException.class).hasMessageContaining(message);
  }

  @Test
  void maxMeasurementIsRefusedInDap09() {
    assertThatThrownBy(() -> VdafObject.parse(fields("{\"type\":\"Prio3Sum\",\"bits\":\"8\","
        + "\"max_measurement\":\"255\"}")))
        .isInstanceOf(InteropRequestException.class)
        .hasMessageContaining("field \"max_measurement\" is the DAP-18 form of a VDAF parameter, but this is a"
            + " DAP-09 request (no \"batch_mode\")");
    // Also inside a whole request, named by its path.
    ObjectNode json = leaderJson();
    ((ObjectNode) json.get("vdaf")).put("max_measurement", "255");
    assertThatThrownBy(() -> AggregatorAddTaskRequest.parse(fields(json)))
        .hasMessageContaining("field \"vdaf.max_measurement\" is the DAP-18 form");
  }

  static Stream<Arguments> measurements18() {
    return Stream.of(
        Arguments.of(new VdafInstance.Prio3SumMaxMeasurement(100), "\"100\"", new long[] {100}),
        Arguments.of(new VdafInstance.Prio3SumVecMaxMeasurement(9, 3, 1), "[\"0\",\"9\",\"4\"]",
            new long[] {0, 9, 4}));
  }

  @ParameterizedTest
  @MethodSource("measurements18")
  void dap18MeasurementsParseAndRender(VdafInstance vdaf, String json, long[] expected) {
    assertThat(Measurement.parse(vdaf, fields("{\"measurement\":" + json + "}"), "measurement"))
        .containsExactly(expected);
    assertThat(Measurement.toJson(vdaf, expected).toString()).isEqualTo(json);
  }

  @Test
  void dap18MeasurementsAboveTheMaximumAreRefused() {
    assertThatThrownBy(() -> Measurement.parse(new VdafInstance.Prio3SumMaxMeasurement(100),
        fields("{\"m\":\"101\"}"), "m")).hasMessageContaining("field \"m\" must be in 0..100, got 101");
    assertThatThrownBy(() -> Measurement.parse(new VdafInstance.Prio3SumVecMaxMeasurement(9, 2, 1),
        fields("{\"m\":[\"1\",\"10\"]}"), "m")).hasMessageContaining("field \"m[1]\" must be in 0..9, got 10");
  }

  private static AggregatorAddTaskRequest addTask18(Role role, io.janus.core.task.QueryType mode,
      Optional<Interval> interval) {
    Optional<AuthenticationToken> collector = role == Role.LEADER
        ? Optional.of(new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "collector-token"))
        : Optional.empty();
    return AggregatorAddTaskRequest.dap18(TASK, LEADER, HELPER, new VdafInstance.Prio3SumVecMaxMeasurement(255, 4, 2),
        new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "agg-token"), collector, role, new byte[32], mode,
        10, new DapDuration(3600), COLLECTOR_CONFIG, interval);
  }

  private static final Optional<Interval> TASK_INTERVAL =
      Optional.of(new Interval(new Time(1_800_000_000L), new DapDuration(7 * 86_400)));

  static Stream<AggregatorAddTaskRequest> addTaskRequests18() {
    return Stream.of(
        addTask18(Role.LEADER, new QueryType.TimeInterval(), Optional.empty()),
        addTask18(Role.HELPER, new QueryType.TimeInterval(), TASK_INTERVAL),
        addTask18(Role.LEADER, Dap18Fields.leaderSelected(), TASK_INTERVAL),
        addTask18(Role.HELPER, Dap18Fields.leaderSelected(), Optional.empty()));
  }

  @ParameterizedTest
  @MethodSource("addTaskRequests18")
  void dap18AggregatorAddTaskRoundTrips(AggregatorAddTaskRequest request) {
    ObjectNode json = request.toJson();
    assertThat(json.has("batch_mode")).isTrue();
    assertThat(json.has("query_type") || json.has("max_batch_query_count") || json.has("max_batch_size")
        || json.has("task_expiration")).isFalse();
    assertThat(json.get("vdaf").get("max_measurement").textValue()).isEqualTo("255");
    assertThat(AggregatorAddTaskRequest.parse(fields(json))).isEqualTo(request);
  }

  @Test
  void dap18AddTaskHasTheFieldsJanusSends() {
    // The body Janus main's interop test runner sends a Leader, field for field.
    ObjectNode json = MAPPER.createObjectNode().put("task_id", TASK_B64).put("leader", "http://leader:8080/")
        .put("helper", "http://helper:8080/");
    json.set("vdaf", MAPPER.createObjectNode().put("type", "Prio3Sum").put("max_measurement", "255"));
    json.put("leader_authentication_token", "agg-token").put("collector_authentication_token", "collector-token")
        .put("role", "leader").put("vdaf_verify_key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .put("batch_mode", 2).put("min_batch_size", 7).put("time_precision", 3600)
        .put("collector_hpke_config", io.janus.messages.Base64Url.encode(COLLECTOR_CONFIG.toBytes()));
    AggregatorAddTaskRequest r = AggregatorAddTaskRequest.parse(fields(json));
    assertThat(r.protocol()).isEqualTo(DapVersion.DAP_18);
    assertThat(r.vdaf()).isEqualTo(new VdafInstance.Prio3SumMaxMeasurement(255));
    assertThat(r.queryType()).isEqualTo(Dap18Fields.leaderSelected());
    assertThat(r.minBatchSize()).isEqualTo(7);
    assertThat(r.maxBatchQueryCount()).isEqualTo(1);
    assertThat(r.taskInterval()).isEmpty();
    Task t = r.toTask(List.of(), new DapDuration(60));
    assertThat(t.protocol()).isEqualTo(DapVersion.DAP_18);
    assertThat(t.agreedTerms()).contains(new AgreedTerms("task-info".getBytes(StandardCharsets.US_ASCII),
        URI.create("http://leader:8080/"), Optional.empty()));
    assertThat(t.taskExpiration()).isEmpty();
    // DAP-09's fields in a DAP-18 request are ignored, as Janus ignores them.
    json.put("max_batch_query_count", 5).put("max_batch_size", 9).put("task_expiration", 2_000_000_000L);
    assertThat(AggregatorAddTaskRequest.parse(fields(json))).isEqualTo(r);
  }

  @Test
  void dap18AggregatorAddTaskBuildsATaskWithAgreedTerms() {
    AggregatorAddTaskRequest leader = addTask18(Role.LEADER, Dap18Fields.leaderSelected(), TASK_INTERVAL);
    Task l = leader.toTask(List.of(), new DapDuration(60));
    assertThat(l.protocol()).isEqualTo(DapVersion.DAP_18);
    assertThat(l.role()).isEqualTo(Role.LEADER);
    assertThat(l.peerAggregatorEndpoint()).isEqualTo(HELPER);
    assertThat(l.queryType()).isEqualTo(new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()));
    assertThat(l.vdaf()).isEqualTo(new VdafInstance.Prio3SumVecMaxMeasurement(255, 4, 2));
    assertThat(l.minBatchSize()).isEqualTo(10);
    AgreedTerms terms = l.agreedTerms().orElseThrow();
    assertThat(terms.taskInfo()).isEqualTo("task-info".getBytes(StandardCharsets.US_ASCII));
    assertThat(terms.ownEndpoint()).isEqualTo(LEADER);
    assertThat(terms.taskStart()).contains(new Time(1_800_000_000L));
    assertThat(l.taskExpiration()).contains(new Time(1_800_000_000L + 7 * 86_400));
    assertThat(l.collectorAuthTokenHash()).contains(leader.collectorAuthenticationToken().orElseThrow().hash());

    Task h = addTask18(Role.HELPER, new QueryType.TimeInterval(), Optional.empty()).toTask(List.of(),
        new DapDuration(60));
    assertThat(h.peerAggregatorEndpoint()).isEqualTo(LEADER);
    assertThat(h.agreedTerms().orElseThrow().ownEndpoint()).isEqualTo(HELPER);
    assertThat(h.agreedTerms().orElseThrow().taskStart()).isEmpty();
    assertThat(h.taskExpiration()).isEmpty();
  }

  @Test
  void everyDap18PartyAgreesOnTheSameTaskConfiguration() {
    for (io.janus.core.task.QueryType mode : List.of(new QueryType.TimeInterval(), Dap18Fields.leaderSelected())) {
      for (Optional<Interval> interval : List.of(Optional.<Interval>empty(), TASK_INTERVAL)) {
        AggregatorAddTaskRequest leader = addTask18(Role.LEADER, mode, interval);
        TaskAgreement expected = leader.toTask(List.of(), new DapDuration(60)).agreement().orElseThrow();
        assertThat(addTask18(Role.HELPER, mode, interval).toTask(List.of(), new DapDuration(60)).agreement())
            .contains(expected);
        UploadRequest upload = new UploadRequest(TASK, LEADER, HELPER, leader.vdaf(), new long[] {1, 2, 3, 4},
            Optional.empty(), new DapDuration(3600), Optional.of(new UploadRequest.Dap18(mode, 10, interval)));
        assertThat(upload.agreement()).contains(expected);
        CollectorAddTaskRequest collector = new CollectorAddTaskRequest(TASK, LEADER, leader.vdaf(),
            new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "collector-token"), mode,
            Optional.of(new CollectorAddTaskRequest.Dap18(HELPER, 10, new DapDuration(3600), interval)));
        assertThat(collector.agreement()).contains(expected);
      }
    }
  }

  private static ObjectNode leader18Json() {
    return addTask18(Role.LEADER, new QueryType.TimeInterval(), TASK_INTERVAL).toJson();
  }

  static Stream<Arguments> badAddTasks18() {
    return Stream.of(
        Arguments.of(leader18Json().put("query_type", 1), "request carries both \"query_type\" (DAP-09) and"
            + " \"batch_mode\" (DAP-18); send one of them"),
        Arguments.of(leader18Json().put("batch_mode", 3),
            "field \"batch_mode\" must be 1 (time_interval) or 2 (leader_selected), got 3"),
        Arguments.of(leader18Json().put("batch_mode", 0), "field \"batch_mode\" must be 1 (time_interval) or 2"),
        Arguments.of(leader18Json().put("batch_mode", "1"), "field \"batch_mode\" must be an integer number"),
        Arguments.of(leader18Json().without("min_batch_size"), "missing field \"min_batch_size\""),
        Arguments.of(leader18Json().without("time_precision"), "missing field \"time_precision\""),
        Arguments.of(leader18Json().without("collector_authentication_token"),
            "missing field \"collector_authentication_token\""),
        Arguments.of(leader18Json().without("task_end"),
            "fields \"task_start\" and \"task_end\" must both be given or both be left out"),
        Arguments.of(leader18Json().without("task_start"), "must both be given or both be left out"),
        Arguments.of(leader18Json().put("task_start", -1), "field \"task_start\" must be a non-negative"),
        Arguments.of(leader18Json().put("task_start", 7200).put("task_end", 7200),
            "field \"task_end\" must be after \"task_start\" once both are rounded down to the time precision"
                + " (3600 s), got [7200, 7200)"),
        Arguments.of(leader18Json().put("task_start", 7200).put("task_end", 10799), "got [7200, 7200)"),
        Arguments.of(leader18Json().put("task_start", 7200).put("task_end", 3600), "got [7200, 3600)"),
        Arguments.of(withVdaf(leader18Json(), "{\"type\":\"Prio3Sum\",\"bits\":\"8\"}"),
            "field \"vdaf.bits\" is the DAP-09 form of a VDAF parameter"),
        Arguments.of(withVdaf(leader18Json(), "{\"type\":\"Prio3SumVecField64MultiproofHmacSha256Aes128\","
            + "\"proofs\":\"2\",\"max_measurement\":\"9\",\"length\":\"2\",\"chunk_length\":\"1\"}"),
            "has no VDAF-18 form here"));
  }

  private static ObjectNode withVdaf(ObjectNode json, String vdaf) {
    try {
      json.set("vdaf", MAPPER.readTree(vdaf));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return json;
  }

  @ParameterizedTest
  @MethodSource("badAddTasks18")
  void badDap18AggregatorAddTasksNameTheField(ObjectNode json, String message) {
    assertThatThrownBy(() -> AggregatorAddTaskRequest.parse(fields(json)))
        .isInstanceOf(InteropRequestException.class).hasMessageContaining(message);
  }

  @Test
  void dap18TaskIntervalIsRoundedDownToTheTimePrecision() {
    ObjectNode json = leader18Json().put("task_start", 3601).put("task_end", 10_799);
    assertThat(AggregatorAddTaskRequest.parse(fields(json)).taskInterval())
        .contains(new Interval(new Time(3600), new DapDuration(3600)));
  }

  @Test
  void dap18UploadRoundTripsAndIsChecked() {
    UploadRequest upload = new UploadRequest(TASK, LEADER, HELPER, new VdafInstance.Prio3SumMaxMeasurement(100),
        new long[] {100}, Optional.of(new Time(7200)), new DapDuration(3600),
        Optional.of(new UploadRequest.Dap18(Dap18Fields.leaderSelected(), 6, Optional.empty())));
    ObjectNode json = upload.toJson();
    assertThat(json.get("batch_mode").intValue()).isEqualTo(2);
    assertThat(json.get("min_batch_size").longValue()).isEqualTo(6);
    assertThat(UploadRequest.parse(fields(json))).isEqualTo(upload);
    assertThat(upload.protocol()).isEqualTo(DapVersion.DAP_18);
    UploadRequest withInterval = new UploadRequest(TASK, LEADER, HELPER, new VdafInstance.Prio3Count(),
        new long[] {1}, Optional.empty(), new DapDuration(3600),
        Optional.of(new UploadRequest.Dap18(new QueryType.TimeInterval(), 0, TASK_INTERVAL)));
    assertThat(UploadRequest.parse(fields(withInterval.toJson()))).isEqualTo(withInterval);

    assertThatThrownBy(() -> UploadRequest.parse(fields(json.deepCopy().put("query_type", 2))))
        .hasMessageContaining("request carries both \"query_type\" (DAP-09) and \"batch_mode\" (DAP-18)");
    assertThatThrownBy(() -> UploadRequest.parse(fields(json.deepCopy().without("min_batch_size"))))
        .hasMessageContaining("missing field \"min_batch_size\"");
    assertThatThrownBy(() -> UploadRequest.parse(fields(json.deepCopy().put("batch_mode", 7))))
        .hasMessageContaining("field \"batch_mode\" must be 1 (time_interval) or 2 (leader_selected), got 7");
    assertThatThrownBy(() -> UploadRequest.parse(fields(json.deepCopy().put("measurement", "101"))))
        .hasMessageContaining("field \"measurement\" must be in 0..100, got 101");
    assertThatThrownBy(() -> UploadRequest.parse(fields(json.deepCopy().put("task_start", 3600))))
        .hasMessageContaining("must both be given or both be left out");
    assertThatThrownBy(() -> UploadRequest.parse(fields(withVdaf(json.deepCopy(),
        "{\"type\":\"Prio3Sum\",\"bits\":\"8\"}")))).hasMessageContaining("field \"vdaf.bits\" is the DAP-09 form");
    // Without batch_mode the same body is DAP-09, where max_measurement has no place.
    assertThatThrownBy(() -> UploadRequest.parse(fields(json.deepCopy().without("batch_mode"))))
        .hasMessageContaining("field \"vdaf.max_measurement\" is the DAP-18 form");
  }

  @Test
  void dap18CollectorAddTaskRoundTripsAndIsChecked() {
    CollectorAddTaskRequest collector = new CollectorAddTaskRequest(TASK, LEADER,
        new VdafInstance.Prio3Histogram(6, 2), new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "t"),
        new QueryType.TimeInterval(),
        Optional.of(new CollectorAddTaskRequest.Dap18(HELPER, 18, new DapDuration(3600), Optional.empty())));
    ObjectNode json = collector.toJson();
    assertThat(json.get("helper").textValue()).isEqualTo(HELPER.toString());
    assertThat(json.get("batch_mode").intValue()).isEqualTo(1);
    assertThat(json.has("query_type")).isFalse();
    assertThat(CollectorAddTaskRequest.parse(fields(json))).isEqualTo(collector);
    assertThat(collector.protocol()).isEqualTo(DapVersion.DAP_18);
    CollectorAddTaskRequest withInterval = new CollectorAddTaskRequest(TASK, LEADER,
        new VdafInstance.Prio3SumMaxMeasurement(9), new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, "t"),
        Dap18Fields.leaderSelected(),
        Optional.of(new CollectorAddTaskRequest.Dap18(HELPER, 0, new DapDuration(60), TASK_INTERVAL)));
    assertThat(CollectorAddTaskRequest.parse(fields(withInterval.toJson()))).isEqualTo(withInterval);

    assertThatThrownBy(() -> CollectorAddTaskRequest.parse(fields(json.deepCopy().put("query_type", 1))))
        .hasMessageContaining("request carries both \"query_type\" (DAP-09) and \"batch_mode\" (DAP-18)");
    for (String field : List.of("helper", "min_batch_size", "time_precision", "batch_mode")) {
      ObjectNode missing = json.deepCopy().without(field);
      if (field.equals("batch_mode")) {
        // Without batch_mode the body is DAP-09 and lacks its query_type.
        assertThatThrownBy(() -> CollectorAddTaskRequest.parse(fields(missing)))
            .hasMessageContaining("missing field \"query_type\"");
      } else {
        assertThatThrownBy(() -> CollectorAddTaskRequest.parse(fields(missing)))
            .hasMessageContaining("missing field \"" + field + "\"");
      }
    }
    assertThatThrownBy(() -> CollectorAddTaskRequest.parse(fields(json.deepCopy().put("helper", "helper"))))
        .hasMessageContaining("field \"helper\" must be an absolute http(s) URL");
    assertThatThrownBy(() -> CollectorAddTaskRequest.parse(fields(json.deepCopy().put("time_precision", 0))))
        .hasMessageContaining("field \"time_precision\" must be in 1..");
  }

  static Stream<Arguments> queries18() {
    return Stream.of(
        Arguments.of("{\"type\":1,\"batch_interval_start\":3600,\"batch_interval_duration\":7200}",
            new Query.TimeInterval(new Interval(new Time(3600), new DapDuration(7200)))),
        Arguments.of("{\"type\":2}", new Query.FixedSizeCurrentBatch()),
        // Janus's runner still sends subtype 1 (current batch).
        Arguments.of("{\"type\":2,\"subtype\":1}", new Query.FixedSizeCurrentBatch()),
        Arguments.of("{\"batch_mode\":2}", new Query.FixedSizeCurrentBatch()),
        Arguments.of("{\"batch_mode\":1,\"batch_interval_start\":0,\"batch_interval_duration\":60}",
            new Query.TimeInterval(new Interval(new Time(0), new DapDuration(60)))));
  }

  @ParameterizedTest
  @MethodSource("queries18")
  void dap18QueriesAreReadAsBatchModes(String json, Query expected) {
    assertThat(QueryObject.parse(fields(json), DapVersion.DAP_18)).isEqualTo(expected);
    assertThat(QueryObject.parse(fields(QueryObject.toJson(expected)), DapVersion.DAP_18)).isEqualTo(expected);
    CollectionStartRequest start = new CollectionStartRequest(TASK, new byte[0], expected);
    assertThat(CollectionStartRequest.parse(fields(start.toJson()), DapVersion.DAP_18)).isEqualTo(start);
  }

  static Stream<Arguments> badQueries18() {
    return Stream.of(
        Arguments.of("{\"type\":2,\"subtype\":0,\"batch_id\":\"" + TASK_B64 + "\"}",
            "field \"subtype\" must be 1 (current batch) or left out: DAP-18's leader_selected batch mode has no"
                + " query by batch ID, got 0"),
        Arguments.of("{\"type\":3}", "field \"type\" must be 1 (time_interval) or 2 (leader_selected), got 3"),
        Arguments.of("{\"batch_mode\":0}", "field \"batch_mode\" must be 1 (time_interval) or 2"),
        Arguments.of("{\"type\":2,\"batch_mode\":2}",
            "query carries both \"type\" and \"batch_mode\"; give the batch mode once"),
        Arguments.of("{}", "missing field \"type\""),
        Arguments.of("{\"type\":1,\"batch_interval_start\":3600}", "missing field \"batch_interval_duration\""));
  }

  @ParameterizedTest
  @MethodSource("badQueries18")
  void badDap18QueriesNameTheProblem(String json, String message) {
    assertThatThrownBy(() -> QueryObject.parse(fields(json), DapVersion.DAP_18))
        .isInstanceOf(InteropRequestException.class).hasMessageContaining(message);
  }

  @Test
  void aDap09QueryWithABatchModeIsRefused() {
    assertThatThrownBy(() -> QueryObject.parse(fields("{\"batch_mode\":2}"), DapVersion.DAP_09))
        .isInstanceOf(InteropRequestException.class)
        .hasMessageContaining("field \"batch_mode\" is DAP-18's, but the task was added as a DAP-09 task");
    assertThatThrownBy(() -> CollectionStartRequest.parse(fields("{\"task_id\":\"" + TASK_B64 + "\","
        + "\"agg_param\":\"\",\"query\":{\"type\":2,\"batch_mode\":2}}"), DapVersion.DAP_09))
        .hasMessageContaining("field \"query.batch_mode\" is DAP-18's");
  }

  @Test
  void requestsWithoutBatchModeStayDap09() {
    assertThat(AggregatorAddTaskRequest.parse(fields(leaderJson())).protocol()).isEqualTo(DapVersion.DAP_09);
    assertThat(Dap18Fields.version(fields("{\"query_type\":1}"))).isEqualTo(DapVersion.DAP_09);
    assertThat(Dap18Fields.version(fields("{\"batch_mode\":1}"))).isEqualTo(DapVersion.DAP_18);
    // A null batch_mode counts as absent, as every optional field does.
    assertThat(Dap18Fields.version(fields("{\"batch_mode\":null,\"query_type\":1}"))).isEqualTo(DapVersion.DAP_09);
  }

  @Test
  void bodiesThatAreNotObjectsAreRefused() {
    assertThatThrownBy(() -> TestApi.parseBody("[1]".getBytes()))
        .hasMessageContaining("request body must be a JSON object, got array");
    assertThatThrownBy(() -> TestApi.parseBody("{\"a\":".getBytes()))
        .hasMessageContaining("request body is not valid JSON");
    assertThat(TestApi.parseBody(new byte[0]).node().isEmpty()).isTrue();
  }

  @Test
  void randomTaskIdsSurviveTheTrip() {
    long seed = new SecureRandom().nextLong();
    System.out.println("RequestParsingTest seed " + seed);
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < 100; i++) {
      byte[] id = new byte[32];
      r.nextBytes(id);
      TaskId t = new TaskId(id);
      assertThat(fields("{\"task_id\":\"" + t.toBase64Url() + "\"}").taskId("task_id")).as("seed %d", seed)
          .isEqualTo(t);
    }
  }

  @Test
  void errorTextsNameEachCauseOnce() {
    RuntimeException e = new IllegalStateException("pool failed: refused",
        new RuntimeException("refused", new RuntimeException("no route")));
    assertThat(TestApi.describe(e)).isEqualTo("pool failed: refused: no route");
    assertThat(TestApi.describe(new NullPointerException())).isEqualTo("NullPointerException");
  }
}
