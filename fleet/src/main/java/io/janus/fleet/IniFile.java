package io.janus.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed INI configuration file, as the fleet daemons read it. The rules, all strict:
 *
 * <ul>
 *   <li>blank lines and lines whose first non-blank character is {@code #} are ignored;
 *   <li>{@code [section]} on a line by itself starts a section, named like a key; a section appears once;
 *   <li>every other line is {@code name = value} inside a section; names match
 *       {@code [a-zA-Z_][-a-zA-Z_0-9]*}, appear once per section, and blanks around names and values are stripped;
 *   <li>a value may be quoted with {@code '}, {@code "} or a backquote, which is stripped (so a value can keep
 *       blanks at its ends or be empty); a value that opens a quote must close it with the same character.
 * </ul>
 *
 * <p>Typed values (booleans, durations, cadences, lists) are read through {@link IniSection}. Every error is a
 * {@link ConfigException} naming the file, the line, the key and the reason. Immutable once read, apart from
 * each section's record of which keys were read.
 */
public final class IniFile {
  static final Pattern NAME = Pattern.compile("[a-zA-Z_][-a-zA-Z_0-9]*");

  private final Path file;
  private final int lineCount;
  private final Map<String, IniSection> sections;

  private IniFile(Path file, int lineCount, Map<String, IniSection> sections) {
    this.file = file;
    this.lineCount = lineCount;
    this.sections = sections;
  }

  /**
   * Reads and parses {@code file}.
   *
   * @throws ConfigException if the file cannot be read (line 0) or breaks a rule
   */
  public static IniFile read(Path file) {
    String text;
    try {
      // A strict decoder: a file that is not UTF-8 is refused rather than read with replacement characters.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file, 0, "[file]", "not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(file, 0, "[file]", "cannot read: " + e.getMessage());
    }
    return parse(file, text);
  }

  /** Parses {@code text} as the contents of {@code file} (which is only used in messages). */
  public static IniFile parse(Path file, String text) {
    Map<String, IniSection> sections = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    IniSection current = null;
    Map<String, IniSection.Entry> entries = null;
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]")) {
          throw new ConfigException(file, n, line, "a section header is [name] alone on its line");
        }
        String name = line.substring(1, line.length() - 1).strip();
        if (!NAME.matcher(name).matches()) {
          throw new ConfigException(file, n, line, "a section name must match " + NAME.pattern());
        }
        IniSection earlier = sections.get(name);
        if (earlier != null) {
          throw new ConfigException(file, n, "[" + name + "]",
              "section repeated (first at line " + earlier.line() + ")");
        }
        entries = new LinkedHashMap<>();
        current = new IniSection(file, name, n, entries);
        sections.put(name, current);
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new ConfigException(file, n, shorten(line), "expected name = value");
      }
      String key = line.substring(0, eq).strip();
      if (!NAME.matcher(key).matches()) {
        throw new ConfigException(file, n, key.isEmpty() ? "(empty name)" : shorten(key),
            "a name must match " + NAME.pattern());
      }
      if (current == null) {
        throw new ConfigException(file, n, key, "outside any [section]");
      }
      String value = unquote(file, n, key, line.substring(eq + 1).strip());
      IniSection.Entry earlier = entries.get(key);
      if (earlier != null) {
        throw new ConfigException(file, n, key,
            "repeated in [" + current.name() + "] (first at line " + earlier.line() + ")");
      }
      entries.put(key, new IniSection.Entry(key, value, n));
    }
    int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
    return new IniFile(file, Math.max(1, count), sections);
  }

  private static String unquote(Path file, int line, String key, String value) {
    if (value.isEmpty()) {
      return value;
    }
    char q = value.charAt(0);
    if (q != '\'' && q != '"' && q != '`') {
      return value;
    }
    if (value.length() < 2 || value.charAt(value.length() - 1) != q) {
      throw new ConfigException(file, line, key, "unterminated quote " + q);
    }
    return value.substring(1, value.length() - 1);
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** The file this was read from. */
  public Path file() {
    return file;
  }

  /** The section named {@code name}, if the file has one. */
  public Optional<IniSection> section(String name) {
    return Optional.ofNullable(sections.get(name));
  }

  /**
   * The section named {@code name}.
   *
   * @throws ConfigException at the end of the file if there is none
   */
  public IniSection requiredSection(String name) {
    return section(name).orElseThrow(() -> new ConfigException(file, lineCount, "[" + name + "]",
        "required section missing"));
  }

  /** Every section, in file order. */
  public List<IniSection> sections() {
    return List.copyOf(sections.values());
  }

  /**
   * Checks the section names: each must be one that is read ({@code known}) or one that is accepted but not
   * supported by this program ({@code unsupported}); the latter are returned, in file order, so the caller can say
   * so once. Sections of {@code unsupported} are still checked by the same syntax rules (they were parsed).
   *
   * @throws ConfigException at the header of the first section that is neither
   */
  public List<IniSection> checkSections(Set<String> known, Set<String> unsupported) {
    List<IniSection> out = new ArrayList<>();
    for (IniSection s : sections.values()) {
      if (unsupported.contains(s.name())) {
        out.add(s);
      } else if (!known.contains(s.name())) {
        throw new ConfigException(file, s.line(), "[" + s.name() + "]", "unknown section (known: "
            + String.join(", ", known.stream().sorted().map(k -> "[" + k + "]").toList()) + ")");
      }
    }
    return out;
  }

  /** A configuration error about this file at {@code line}, for checks that span sections. */
  public ConfigException error(int line, String key, String reason) {
    return new ConfigException(file, line, key, reason);
  }

  /** The number of lines in the file (at least 1): where a missing section is reported. */
  public int lineCount() {
    return lineCount;
  }
}
