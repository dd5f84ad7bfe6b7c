package io.janus.fleet;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code [global]} section both daemons read.
 *
 * @param cluster the cluster's canonical name, the prefix of every Kafka topic (required)
 * @param role {@code node} or {@code master} (required): which control topic a daemon listens on
 * @param lockdir where the daemon's lock file lives, if it takes one
 */
public record GlobalConfig(String cluster, String role, Optional<Path> lockdir) {
  /** The roles there are. */
  public static final List<String> ROLES = List.of("node", "master");

  // A cluster name becomes part of Kafka topic names, which allow only these characters.
  private static final Pattern TOPIC_SAFE = Pattern.compile("[a-zA-Z0-9._-]+");

  /** Reads {@code [global]}; refuses unknown keys. */
  public static GlobalConfig read(IniFile ini) {
    IniSection s = ini.requiredSection("global");
    String cluster = s.requiredString("cluster");
    if (!TOPIC_SAFE.matcher(cluster).matches()) {
      throw s.error("cluster", "may hold only letters, digits, '.', '_' and '-' (it prefixes Kafka topics)");
    }
    s.string("role").orElseThrow(() -> s.error("role", "required in [global]"));
    String role = s.choice("role", ROLES, "");
    Optional<Path> lockdir = s.path("lockdir");
    s.rejectUnread();
    return new GlobalConfig(cluster, role, lockdir);
  }
}
