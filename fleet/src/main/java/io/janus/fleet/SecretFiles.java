package io.janus.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Files named in a configuration that hold secrets (tokens, private keys). One that every user may read is
 * refused: a secret that leaked on the machine is not one, and a daemon that uses it anyway only hides that.
 */
public final class SecretFiles {
  private SecretFiles() {}

  /**
   * The secret file named by {@code key}, checked to exist and not to be world-readable.
   *
   * @throws ConfigException at the key's line if the file is missing, unreadable or world-readable
   */
  public static Optional<Path> path(IniSection section, String key) {
    return section.path(key).map(p -> {
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw section.error(key, p + " is not a readable file");
      }
      PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
      if (view != null) {
        Set<PosixFilePermission> perms;
        try {
          perms = view.readAttributes().permissions();
        } catch (IOException e) {
          throw section.error(key, "cannot read the permissions of " + p + ": " + e.getMessage());
        }
        if (perms.contains(PosixFilePermission.OTHERS_READ)) {
          throw section.error(key, p + " holds a secret but is readable by every user (chmod o-r " + p + ")");
        }
      }
      return p;
    });
  }

  /** The stripped contents of the secret file named by {@code key}; see {@link #path}. */
  public static Optional<String> read(IniSection section, String key) {
    return path(section, key).map(p -> {
      try {
        String s = Files.readString(p, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
          throw section.error(key, p + " is empty");
        }
        return s;
      } catch (IOException e) {
        throw section.error(key, "cannot read " + p + ": " + e.getMessage());
      }
    });
  }
}
