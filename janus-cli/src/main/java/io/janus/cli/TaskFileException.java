package io.janus.cli;

/**
 * A tasks file that cannot be read or does not describe valid tasks. The one-line message names the file (with
 * line and column where known), the key path of the offending value (such as {@code [1].vdaf.bits}, where
 * {@code [1]} is the task's zero-based position in the list) and the reason. It never repeats a secret value.
 */
final class TaskFileException extends CliException {
  private static final long serialVersionUID = 1L;

  private final String keyPath;

  TaskFileException(String location, String keyPath, String reason) {
    super(oneLine(location + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + reason));
    this.keyPath = keyPath;
  }

  /** The key path of the problem, such as {@code [0].collector_hpke_config.kem_id}; empty for the whole file. */
  String keyPath() {
    return keyPath;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
