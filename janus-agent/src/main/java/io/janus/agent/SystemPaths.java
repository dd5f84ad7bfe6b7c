package io.janus.agent;

import java.nio.file.Path;

/**
 * Where the agent reads the machine: the cgroup v2 hierarchy comes from the configuration, the rest is fixed in
 * production and a fixture tree in tests.
 *
 * @param proc the proc file system ({@code /proc}): load average, memory size, CPU count, process owners and
 *     commands
 * @param passwd the user database ({@code /etc/passwd}), for {@code exclude-users} given by name
 */
public record SystemPaths(Path proc, Path passwd) {
  /** The machine's own. */
  public static final SystemPaths MACHINE = new SystemPaths(Path.of("/proc"), Path.of("/etc/passwd"));
}
