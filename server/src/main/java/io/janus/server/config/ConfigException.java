package io.janus.server.config;

/**
 * Thrown when a configuration file cannot be read, is not valid YAML, or does not fit the configuration records.
 *
 * <p>The message is one line that names the source (file path, with line and column where known), the key path
 * in dotted form (for example {@code database.url}) and the reason, so an operator can fix the file without a
 * stack trace. It never contains a secret value.
 */
public final class ConfigException extends RuntimeException {
  private final String source;
  private final String keyPath;
  private final String reason;

  /**
   * Creates an exception.
   *
   * @param source where the configuration came from, with {@code :line:column} appended where known
   * @param keyPath the dotted key path the problem is at; empty for problems with the whole document
   * @param reason what is wrong, without secret values
   */
  public ConfigException(String source, String keyPath, String reason) {
    super(oneLine(source + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + reason));
    this.source = source;
    this.keyPath = keyPath;
    this.reason = reason;
  }

  /** Where the configuration came from, with {@code :line:column} appended where known. */
  public String source() {
    return source;
  }

  /** The dotted key path of the problem, or empty for problems with the whole document. */
  public String keyPath() {
    return keyPath;
  }

  /** What is wrong. */
  public String reason() {
    return reason;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
