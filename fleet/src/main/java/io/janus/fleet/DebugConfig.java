package io.janus.fleet;

/**
 * The {@code [debug]} section both daemons read.
 *
 * @param dump print what is sent (the agent: each measurement before it is sharded; the exporter: each
 *     published record)
 * @param verbose log each operation, not only failures
 */
public record DebugConfig(boolean dump, boolean verbose) {
  /** Neither. */
  public static final DebugConfig OFF = new DebugConfig(false, false);

  /** Reads {@code [debug]} if present; refuses unknown keys. */
  public static DebugConfig read(IniFile ini) {
    return ini.section("debug").map(s -> {
      DebugConfig c = new DebugConfig(s.bool("dump", false), s.bool("verbose", false));
      s.rejectUnread();
      return c;
    }).orElse(OFF);
  }
}
