package io.janus.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void rendersDoneOverTotal() {
    assertThat(ProgressBar.render(15, 0, 30)).isEqualTo("Uploading [###############---------------] 15/30 (0 failed)");
    assertThat(ProgressBar.render(29, 1, 30)).isEqualTo("Uploading [##############################] 30/30 (1 failed)");
    assertThat(ProgressBar.render(30, 0, 30)).isEqualTo("Uploaded  [##############################] 30/30 (0 failed)");
  }

  @Test
  void onATerminalRedrawsOneLineAndEndsIt() {
    ProgressBar bar = new ProgressBar(stream, true);
    for (int i = 1; i <= 200; i++) {
      bar.update(i, 0, 200);
    }
    String t = text();
    assertThat(t).startsWith("\r").endsWith("200/200 (0 failed)" + System.lineSeparator());
    assertThat(t.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    // At most one redraw per percent, plus the final one.
    assertThat(t.chars().filter(c -> c == '\r').count()).isBetween(2L, 101L);
  }

  @Test
  void offATerminalPrintsOnlyTheFinalLine() {
    ProgressBar bar = new ProgressBar(stream, false);
    for (int i = 1; i <= 50; i++) {
      bar.update(i - 1, 1, 51);
    }
    assertThat(text()).isEmpty();
    bar.update(50, 1, 51);
    assertThat(text())
        .isEqualTo("Uploading [##############################] 51/51 (1 failed)" + System.lineSeparator());
  }
}
