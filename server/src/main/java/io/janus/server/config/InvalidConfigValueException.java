package io.janus.server.config;

/**
 * Thrown by a configuration record's compact constructor to reject the value of one of its keys; the loader
 * turns it into a {@link ConfigException} naming the full key path.
 *
 * <p>A plain {@link IllegalArgumentException} from a compact constructor is reported at the record's own path.
 */
public final class InvalidConfigValueException extends IllegalArgumentException {
  private final String key;

  /**
   * Creates an exception.
   *
   * @param key the YAML key (snake_case, as written in the file) whose value is invalid
   * @param reason what is wrong, without the value if it could be secret
   */
  public InvalidConfigValueException(String key, String reason) {
    super(key + ": " + reason);
    this.key = key;
  }

  /** The YAML key whose value is invalid. */
  public String key() {
    return key;
  }

  /** What is wrong with the value. */
  public String reason() {
    return getMessage().substring(key.length() + 2);
  }
}
