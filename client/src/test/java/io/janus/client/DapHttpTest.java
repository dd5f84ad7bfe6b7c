package io.janus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.core.http.RetryPolicy;
import io.janus.messages.DapProblemType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DapHttpTest {
  @Test
  void endpointsGetATrailingSlashSoPathsResolveBeneathThem() {
    assertThat(DapHttp.endpoint(URI.create("https://leader.example"))).hasToString("https://leader.example/");
    assertThat(DapHttp.endpoint(URI.create("https://leader.example/dap"))).hasToString("https://leader.example/dap/");
    assertThat(DapHttp.endpoint(URI.create("http://h:8080/a/b/"))).hasToString("http://h:8080/a/b/");
    URI e = DapHttp.endpoint(URI.create("https://leader.example/dap"));
    assertThat(DapHttp.resolve(e, "/tasks/abc/reports")).hasToString("https://leader.example/dap/tasks/abc/reports");
    assertThat(DapHttp.resolve(e, "/hpke_config?task_id=x"))
        .hasToString("https://leader.example/dap/hpke_config?task_id=x");
  }

  @Test
  void endpointsMustBeHttpUrlsWithoutQuery() {
    for (String bad : List.of("ftp://x/", "/relative", "https://x/?q=1", "https://x/#f", "mailto:a@b")) {
      assertThatThrownBy(() -> DapHttp.endpoint(URI.create(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void retryAfterTakesSecondsOrAnHttpDate() {
    long now = 1_445_412_480_000L; // Wed, 21 Oct 2015 07:28:00 GMT
    assertThat(DapHttp.retryAfter("120", now)).contains(Duration.ofSeconds(120));
    assertThat(DapHttp.retryAfter(" 0 ", now)).contains(Duration.ZERO);
    assertThat(DapHttp.retryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).contains(Duration.ofSeconds(30));
    assertThat(DapHttp.retryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).contains(Duration.ZERO);
    assertThat(DapHttp.retryAfter("99999999999999999999", now)).contains(Duration.ofSeconds(999_999_999_999L));
    assertThat(DapHttp.retryAfter("-5", now)).isEmpty();
    assertThat(DapHttp.retryAfter("soon", now)).isEmpty();
    assertThat(DapHttp.retryAfter("", now)).isEmpty();
  }

  @Test
  void mediaTypesMatchIgnoringParametersAndCase() {
    assertThat(DapHttp.mediaTypeMatches("application/dap-collection", "application/dap-collection")).isTrue();
    assertThat(DapHttp.mediaTypeMatches(" Application/DAP-Collection ; charset=x", "application/dap-collection"))
        .isTrue();
    assertThat(DapHttp.mediaTypeMatches("application/dap-collection-x", "application/dap-collection")).isFalse();
    // DAP-18 media types carry their message name as a parameter; a version hint is ignored.
    String uploadErrors = "application/ppm-dap;message=upload-errors";
    assertThat(DapHttp.mediaTypeMatches(uploadErrors, uploadErrors)).isTrue();
    assertThat(DapHttp.mediaTypeMatches("Application/PPM-DAP ; Message=\"upload-errors\" ; version=18", uploadErrors))
        .isTrue();
    assertThat(DapHttp.mediaTypeMatches("application/ppm-dap;message=upload-req", uploadErrors)).isFalse();
    assertThat(DapHttp.mediaTypeMatches("application/ppm-dap", uploadErrors)).isFalse();
  }

  @Test
  void backoffDoublesUpToTheCap() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(250), Duration.ofSeconds(1));
    assertThat(List.of(p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(4), p.backoff(9)))
        .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1));
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retryableStatusesAreServerErrorsAnd429() {
    assertThat(List.of(429, 500, 502, 503, 504, 599)).allMatch(RetryPolicy::isRetryableStatus);
    assertThat(List.of(200, 400, 401, 403, 404, 409, 501)).noneMatch(RetryPolicy::isRetryableStatus);
  }

  @Test
  void cacheControlSetsTheConfigExpiry() {
    assertThat(HpkeConfigSource.expiry(List.of(), 1000)).isEqualTo(Long.MAX_VALUE);
    assertThat(HpkeConfigSource.expiry(List.of("max-age=86400"), 1000)).isEqualTo(1000 + 86_400_000L);
    assertThat(HpkeConfigSource.expiry(List.of("public, MAX-AGE=10", "max-age=20"), 0)).isEqualTo(10_000);
    assertThat(HpkeConfigSource.expiry(List.of("max-age=10, no-cache"), 5)).isEqualTo(5);
    assertThat(HpkeConfigSource.expiry(List.of("no-store"), 5)).isEqualTo(5);
    assertThat(HpkeConfigSource.expiry(List.of("max-age=abc"), 5)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void problemDocumentsParseOnlyFromProblemJson() {
    String json = "{\"type\":\"urn:ietf:params:ppm:dap:error:batchInvalid\",\"title\":\"t\",\"status\":400,"
        + "\"detail\":\"bad interval\",\"taskid\":\"AAAA\"}";
    ProblemDocument doc = ProblemDocument.parse(Optional.of("application/problem+json; charset=utf-8"),
        json.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(doc.dapProblemType()).contains(DapProblemType.BATCH_INVALID);
    assertThat(doc.title()).contains("t");
    assertThat(doc.detail()).contains("bad interval");
    assertThat(doc.taskId()).contains("AAAA");

    ProblemDocument other = ProblemDocument.parse(Optional.of("application/problem+json"),
        "{\"type\":\"https://example.com/quota\"}".getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(other.dapProblemType()).isEmpty();
    assertThat(other.detail()).isEmpty();
    assertThat(ProblemDocument.parse(Optional.of("application/problem+json"), "{}".getBytes()).orElseThrow().type())
        .isEqualTo("about:blank");

    assertThat(ProblemDocument.parse(Optional.of("text/plain"), json.getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(ProblemDocument.parse(Optional.empty(), json.getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(ProblemDocument.parse(Optional.of("application/problem+json"), "not json".getBytes())).isEmpty();
    assertThat(ProblemDocument.parse(Optional.of("application/problem+json"), "[1]".getBytes())).isEmpty();
  }
}
