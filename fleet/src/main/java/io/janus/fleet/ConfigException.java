package io.janus.fleet;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A configuration file that cannot be used. The message is one line, {@code file:line: key: reason}, which is
 * what the daemons print (and all they print) before exiting with status 2.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final int line;
  private final String key;
  private final String reason;

  /**
   * Creates the error.
   *
   * @param file the configuration file
   * @param line the 1-based line the error is about (for a missing section or key: where it was looked for)
   * @param key the key, or {@code [section]} for an error about a whole section
   * @param reason what is wrong, in a few words
   */
  public ConfigException(Path file, int line, String key, String reason) {
    super(file + ":" + line + ": " + key + ": " + reason);
    this.file = Objects.requireNonNull(file, "file");
    this.line = line;
    this.key = Objects.requireNonNull(key, "key");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The configuration file. */
  public Path file() {
    return file;
  }

  /** The 1-based line. */
  public int line() {
    return line;
  }

  /** The key, or {@code [section]}. */
  public String key() {
    return key;
  }

  /** What is wrong. */
  public String reason() {
    return reason;
  }
}
