package io.janus.fleet;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code [section]} of an {@link IniFile}, with typed readers that name the file, line and key in every
 * error. Each reader marks its key as read, so {@link #rejectUnread()} can refuse keys that no reader asked for
 * (a misspelt key is an error, not a silently ignored line). Not thread-safe: read a section from one thread.
 */
public final class IniSection {
  private static final Pattern DURATION = Pattern.compile("([0-9]+)([hHmMsS])");

  /**
   * One {@code name = value} line.
   *
   * @param key the name
   * @param value the value, blanks around it and quotes stripped
   * @param line the 1-based line
   */
  public record Entry(String key, String value, int line) {}

  private final Path file;
  private final String name;
  private final int line;
  private final Map<String, Entry> entries;
  private final Set<String> read = new HashSet<>();

  IniSection(Path file, String name, int line, Map<String, Entry> entries) {
    this.file = file;
    this.name = name;
    this.line = line;
    this.entries = entries;
  }

  /** The section's name, without brackets. */
  public String name() {
    return name;
  }

  /** The line of the section's header. */
  public int line() {
    return line;
  }

  /** Every entry, in file order (reading them here marks none as read). */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The raw value of {@code key}, if set; marks it read. */
  public Optional<String> string(String key) {
    read.add(key);
    return Optional.ofNullable(entries.get(key)).map(Entry::value);
  }

  /** The value of {@code key}, which must be set and not empty. */
  public String requiredString(String key) {
    String v = string(key).orElseThrow(() -> missing(key));
    if (v.isEmpty()) {
      throw error(key, "must not be empty");
    }
    return v;
  }

  /** {@code key} as {@code true} or {@code false}; {@code otherwise} when not set. */
  public boolean bool(String key, boolean otherwise) {
    return string(key).map(v -> switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error(key, "expected true or false, got '" + v + "'");
    }).orElse(otherwise);
  }

  /** {@code key} as a nonzero duration {@code Nh}, {@code Nm} or {@code Ns} (the unit in either case). */
  public Optional<Duration> duration(String key) {
    return string(key).map(v -> parseDuration(key, v));
  }

  /** {@code key} as a cadence: a duration that divides a day or is a whole number of days (see {@link Cadence}). */
  public Optional<Cadence> cadence(String key) {
    return string(key).map(v -> {
      Duration d = parseDuration(key, v);
      try {
        // parseDuration accepted it, so the last character is the unit.
        return Cadence.of(d, Character.toLowerCase(v.charAt(v.length() - 1)));
      } catch (IllegalArgumentException e) {
        throw error(key, e.getMessage());
      }
    });
  }

  private Duration parseDuration(String key, String v) {
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw error(key, "expected a duration such as 30s, 5m or 1h, got '" + v + "'");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw error(key, "duration out of range: '" + v + "'");
    }
    if (n == 0) {
      throw error(key, "a duration must not be zero");
    }
    long unit = switch (Character.toLowerCase(m.group(2).charAt(0))) {
      case 'h' -> 3600;
      case 'm' -> 60;
      default -> 1;
    };
    if (n > Long.MAX_VALUE / 1000 / unit) {
      throw error(key, "duration out of range: '" + v + "'");
    }
    return Duration.ofSeconds(n * unit);
  }

  /** {@code key} as a comma-separated list, each element stripped; empty elements are refused. */
  public List<String> list(String key) {
    Optional<String> v = string(key);
    if (v.isEmpty() || v.get().isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : v.get().split(",", -1)) {
      String p = part.strip();
      if (p.isEmpty()) {
        throw error(key, "empty element in the comma-separated list");
      }
      out.add(p);
    }
    return List.copyOf(out);
  }

  /** {@code key} as one of {@code choices}; {@code otherwise} when not set. */
  public String choice(String key, List<String> choices, String otherwise) {
    return string(key).map(v -> {
      if (!choices.contains(v)) {
        throw error(key, "expected " + String.join(" or ", choices) + ", got '" + v + "'");
      }
      return v;
    }).orElse(otherwise);
  }

  /** {@code key} as an absolute http or https URL. */
  public Optional<URI> url(String key) {
    return string(key).map(v -> {
      try {
        URI u = new URI(v);
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
            || u.getHost() == null) {
          throw error(key, "expected an http or https URL, got '" + v + "'");
        }
        return u;
      } catch (URISyntaxException e) {
        throw error(key, "not a URL: " + e.getReason());
      }
    });
  }

  /** {@code key} as a file system path (not checked for existence). */
  public Optional<Path> path(String key) {
    return string(key).map(v -> {
      if (v.isEmpty()) {
        throw error(key, "must not be empty");
      }
      try {
        return Path.of(v);
      } catch (java.nio.file.InvalidPathException e) {
        throw error(key, "not a path: " + e.getReason());
      }
    });
  }

  /**
   * {@code key} converted by {@code parser}, whose {@link IllegalArgumentException} becomes this key's error.
   */
  public <T> Optional<T> parsed(String key, Function<String, T> parser) {
    return string(key).map(v -> {
      try {
        return parser.apply(v);
      } catch (IllegalArgumentException e) {
        throw error(key, e.getMessage());
      }
    });
  }

  /** Refuses any key no reader asked for, at its line. */
  public void rejectUnread() {
    for (Entry e : entries.values()) {
      if (!read.contains(e.key())) {
        throw new ConfigException(file, e.line(), e.key(), "unknown key in [" + name + "]");
      }
    }
  }

  /** An error about {@code key}: at its line when set, else at the section header. */
  public ConfigException error(String key, String reason) {
    Entry e = entries.get(key);
    return new ConfigException(file, e != null ? e.line() : line, key, reason);
  }

  private ConfigException missing(String key) {
    return new ConfigException(file, line, key, "required in [" + name + "]");
  }
}
