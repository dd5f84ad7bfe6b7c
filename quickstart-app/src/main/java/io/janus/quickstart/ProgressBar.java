package io.janus.quickstart;

import io.janus.client.UploadProgress;
import java.io.PrintStream;

/**
 * Draws upload progress as one line that rewrites itself ({@code \r}) on a terminal, e.g.
 * {@code Uploading  [##########----------]  512/1000  (0 failed)}. Off a terminal it prints only the final line,
 * so logs and CI output stay readable.
 *
 * <p>Redraws at most once per percent, because a terminal write per report would slow a fast upload down.
 * {@link io.janus.client.Client#uploadAll} calls {@link #update} one call at a time, so no locking is needed.
 */
public final class ProgressBar implements UploadProgress {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean interactive;
  private int lastDrawnPermille = -1;

  /**
   * Creates a bar.
   *
   * @param out where to draw, normally standard error
   * @param interactive whether {@code out} is a terminal that understands {@code \r}
   */
  public ProgressBar(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** Redraws the bar when the share done moved by a percent or the run is complete. */
  @Override
  public void update(int succeeded, int failed, int total) {
    int done = succeeded + failed;
    boolean finished = done >= total;
    int permille = total == 0 ? 1000 : (int) (1000L * done / total);
    if (!finished && (!interactive || permille - lastDrawnPermille < 10)) {
      return;
    }
    lastDrawnPermille = permille;
    String line = render(succeeded, failed, total);
    if (interactive) {
      out.print("\r" + line);
      if (finished) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The bar's text for these counts, without line control characters. */
  static String render(int succeeded, int failed, int total) {
    int done = succeeded + failed;
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    String digits = Integer.toString(total);
    return String.format("%s [%s%s] %" + digits.length() + "d/%s (%d failed)", label(succeeded, total),
        "#".repeat(filled), "-".repeat(WIDTH - filled), done, digits, failed);
  }

  private static String label(int succeeded, int total) {
    return succeeded == total ? "Uploaded " : "Uploading";
  }
}
