package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.janus.messages.AggregationJobId;
import io.janus.messages.TaskId;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ProblemDocumentsTest {
  private static final TaskId TASK = new TaskId(new byte[32]);

  static Stream<Arguments> problems() {
    return Stream.of(
        Arguments.of(new DapException.InvalidMessage(TASK, "bad"), 400, "urn:ietf:params:ppm:dap:error:invalidMessage"),
        Arguments.of(new DapException.UnrecognizedTask(TASK), 400, "urn:ietf:params:ppm:dap:error:unrecognizedTask"),
        Arguments.of(new DapException.UnrecognizedAggregationJob(TASK, new AggregationJobId(new byte[16])), 400,
            "urn:ietf:params:ppm:dap:error:unrecognizedAggregationJob"),
        Arguments.of(new DapException.OutdatedConfig(TASK, 7), 400, "urn:ietf:params:ppm:dap:error:outdatedConfig"),
        Arguments.of(new DapException.ReportRejected(TASK, "x"), 400, "urn:ietf:params:ppm:dap:error:reportRejected"),
        Arguments.of(new DapException.ReportTooEarly(TASK), 400, "urn:ietf:params:ppm:dap:error:reportTooEarly"),
        Arguments.of(new DapException.BatchInvalid(TASK, "x"), 400, "urn:ietf:params:ppm:dap:error:batchInvalid"),
        Arguments.of(new DapException.InvalidBatchSize(TASK, 3), 400,
            "urn:ietf:params:ppm:dap:error:invalidBatchSize"),
        Arguments.of(new DapException.BatchQueriedTooManyTimes(TASK), 400,
            "urn:ietf:params:ppm:dap:error:batchQueriedTooManyTimes"),
        Arguments.of(new DapException.BatchMismatch(TASK, "x"), 400, "urn:ietf:params:ppm:dap:error:batchMismatch"),
        Arguments.of(new DapException.UnauthorizedRequest(TASK), 403,
            "urn:ietf:params:ppm:dap:error:unauthorizedRequest"),
        Arguments.of(new DapException.MissingTaskId(), 400, "urn:ietf:params:ppm:dap:error:missingTaskID"),
        Arguments.of(new DapException.StepMismatch(TASK, 1, 2), 400, "urn:ietf:params:ppm:dap:error:stepMismatch"),
        Arguments.of(new DapException.BatchOverlap(TASK), 400, "urn:ietf:params:ppm:dap:error:batchOverlap"),
        Arguments.of(new DapException.DeletedAggregationJob(TASK, new AggregationJobId(new byte[16])), 410,
            "about:blank"),
        Arguments.of(new DapException.ForbiddenMutation(TASK, "x"), 409, "about:blank"),
        Arguments.of(new DapException.UnsupportedMediaType("application/dap-report"), 415, "about:blank"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void mapsEachFailureToItsStatusAndType(DapException e, int status, String type) throws Exception {
    ProblemDocuments.Problem p = ProblemDocuments.problemFor(e);
    assertThat(p.status().code()).isEqualTo(status);
    JsonNode doc = new ObjectMapper().readTree(p.toJson());
    assertThat(doc.get("type").asText()).isEqualTo(type);
    assertThat(doc.get("status").asInt()).isEqualTo(status);
    assertThat(doc.get("title").asText()).isNotBlank();
    assertThat(doc.get("detail").asText()).isEqualTo(e.detail());
    if (e.taskId().isPresent()) {
      assertThat(doc.get("taskid").asText()).isEqualTo(TASK.toBase64Url());
    } else {
      assertThat(doc.has("taskid")).isFalse();
    }
  }

  @Test
  void plainProblemsUseTheHttpReasonPhraseAsTitle() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(ProblemDocuments.problemFor(
        new DapException.ForbiddenMutation(TASK, "changed")).toJson());
    assertThat(doc.get("title").asText()).isEqualTo(Status.CONFLICT_409.reasonPhrase());
  }
}
