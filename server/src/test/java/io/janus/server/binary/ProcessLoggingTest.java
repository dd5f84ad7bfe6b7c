package io.janus.server.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ProcessLoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LogRecord record(Level level, String message, Throwable thrown) {
    LogRecord r = new LogRecord(level, message);
    r.setLoggerName("io.janus.core.Example");
    r.setInstant(Instant.parse("2026-01-02T03:04:05.678Z"));
    r.setThrown(thrown);
    return r;
  }

  @Test
  void jsonIsOneParsableObjectPerLineWithEscapes() throws IOException {
    String line = new ProcessLogging.JsonFormatter(false).format(
        record(Level.WARNING, "quote \" backslash \\ newline \n tab \t bell \u0007", new IOException("boom")));
    assertThat(line).endsWith("}\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode n = JSON.readTree(line);
    assertThat(n.get("timestamp").asText()).isEqualTo("2026-01-02T03:04:05.678Z");
    assertThat(n.get("level").asText()).isEqualTo("WARNING");
    assertThat(n.get("logger").asText()).isEqualTo("io.janus.core.Example");
    assertThat(n.get("message").asText()).isEqualTo("quote \" backslash \\ newline \n tab \t bell \u0007");
    assertThat(n.get("exception").asText()).startsWith("java.io.IOException: boom");
  }

  @Test
  void stackdriverShape() throws IOException {
    JsonNode n = JSON.readTree(new ProcessLogging.JsonFormatter(true).format(
        record(Level.SEVERE, "failed", new IllegalStateException("why"))));
    assertThat(n.get("time").asText()).isEqualTo("2026-01-02T03:04:05.678Z");
    assertThat(n.get("severity").asText()).isEqualTo("ERROR");
    assertThat(n.get("message").asText()).startsWith("failed\njava.lang.IllegalStateException: why");
    assertThat(n.has("exception")).isFalse();
    assertThat(ProcessLogging.JsonFormatter.severity(Level.INFO)).isEqualTo("INFO");
    assertThat(ProcessLogging.JsonFormatter.severity(Level.FINE)).isEqualTo("DEBUG");
  }

  @Test
  void textIsHumanReadable() {
    String text = new ProcessLogging.TextFormatter().format(record(Level.INFO, "hello {0}", null));
    assertThat(text).isEqualTo("2026-01-02T03:04:05.678Z INFO    Example: hello {0}\n");
  }

  @Test
  void levelNames() {
    assertThat(ProcessLogging.level(" fine ")).isEqualTo(Level.FINE);
    assertThatThrownBy(() -> ProcessLogging.level("LOUD")).hasMessageContaining("JANUS_LOG_LEVEL");
  }
}
