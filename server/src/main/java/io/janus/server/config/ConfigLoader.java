package io.janus.server.config;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads a YAML file into an immutable configuration record.
 *
 * <p>Binding rules:
 *
 * <ul>
 *   <li>A record reads a YAML mapping, unless it has a public static {@code parse(String)} factory, in which case
 *       it is a scalar value (like {@link ListenAddress}). Each component reads the key that is the snake_case form of its name (or
 *       its {@link ConfigKey}); {@link ConfigFlatten} components read from the same mapping. A key that no
 *       component reads is an error, so typos never pass silently.
 *   <li>An absent or null key takes the component's {@link ConfigDefault}; failing that, {@code Optional},
 *       {@code OptionalInt} and {@code OptionalLong} become empty, lists and maps become empty, and a record is
 *       bound from an empty mapping (so its own defaults apply). Anything else is a missing required key.
 *   <li>Scalars bind to {@code String}, {@code int}, {@code long}, {@code boolean}, {@code double}, enums
 *       (matched ignoring case and underscores), {@code Path}, {@code URI}, and any class with a public static
 *       {@code parse(String)} factory. {@code List<T>} reads a sequence; {@code Map<String, T>} a mapping.
 *   <li>A record's compact constructor validates; an {@link InvalidConfigValueException} names the key at fault.
 * </ul>
 *
 * <p>Every failure is a {@link ConfigException} whose one-line message names the file, line and column, the
 * dotted key path and the reason.
 */
public final class ConfigLoader {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ConfigLoader.class.getName());

  private final String source;
  private final java.util.function.Consumer<String> warnings;

  private ConfigLoader(String source, java.util.function.Consumer<String> warnings) {
    this.source = source;
    this.warnings = warnings;
  }

  /**
   * Reads and binds a configuration file.
   *
   * @param file the YAML file
   * @param type the configuration record to bind it to
   * @throws ConfigException if the file cannot be read, is not YAML, or does not fit {@code type}
   */
  public static <C extends Record> C load(Path file, Class<C> type) {
    return load(file, type, w -> LOG.warning(w));
  }

  /**
   * {@link #load(Path, Class)}, handing each warning (an ignored key, see {@link ConfigIgnoredKeys}) to
   * {@code warnings} instead of the log, for a caller that sets logging up only after reading its configuration.
   */
  public static <C extends Record> C load(Path file, Class<C> type, java.util.function.Consumer<String> warnings) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), "", "config file does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file.toString(), "", "config file is not readable (permission denied)");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file.toString(), "", "config file is not valid UTF-8");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "", "cannot read config file: " + e.getMessage());
    }
    return parse(text, file.toString(), type, warnings);
  }

  /**
   * Binds YAML text.
   *
   * @param yaml the document
   * @param source a name for the text in error messages, usually the file path
   * @param type the configuration record to bind it to
   * @throws ConfigException if the text is not YAML or does not fit {@code type}
   */
  public static <C extends Record> C parse(String yaml, String source, Class<C> type) {
    return parse(yaml, source, type, w -> LOG.warning(w));
  }

  /** {@link #parse(String, String, Class)}, handing each warning to {@code warnings}. */
  public static <C extends Record> C parse(String yaml, String source, Class<C> type,
      java.util.function.Consumer<String> warnings) {
    ConfigLoader loader = new ConfigLoader(source, warnings);
    Node root = loader.compose(yaml);
    if (root == null) {
      // An empty document: every key is absent.
      root = emptyMapping(null);
    }
    return type.cast(loader.bind(root, type, ""));
  }

  private Node compose(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    Yaml parser = new Yaml(options);
    try {
      return parser.compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      String problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
      if (e.getContext() != null) {
        problem = e.getContext() + ", " + problem;
      }
      throw new ConfigException(at(e.getProblemMark()), "", "invalid YAML: " + problem);
    } catch (YAMLException e) {
      throw new ConfigException(source, "", "invalid YAML: " + e.getMessage());
    }
  }

  private Object bind(Node node, Type type, String path) {
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
      return absent(type, path, node.getStartMark(), Optional.empty());
    }
    Class<?> raw = rawClass(type);
    if (raw == Optional.class) {
      return Optional.of(bind(node, typeArgument(type, 0), path));
    }
    if (raw == OptionalInt.class) {
      return OptionalInt.of((int) integer(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }
    if (raw == OptionalLong.class) {
      return OptionalLong.of(integer(node, path, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    if (isStructured(raw)) {
      if (!(node instanceof MappingNode m)) {
        throw error(node, path, "expected a mapping, got " + describe(node));
      }
      checkKeys(m, raw, path);
      return bindRecord(m, raw, path);
    }
    if (raw == List.class) {
      if (!(node instanceof SequenceNode seq)) {
        throw error(node, path, "expected a list, got " + describe(node));
      }
      List<Object> out = new ArrayList<>();
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        out.add(bind(items.get(i), typeArgument(type, 0), path + "[" + i + "]"));
      }
      return List.copyOf(out);
    }
    if (raw == Map.class) {
      if (!(node instanceof MappingNode m)) {
        throw error(node, path, "expected a mapping, got " + describe(node));
      }
      if (typeArgument(type, 0) != String.class) {
        throw new IllegalStateException("config maps must have String keys: " + type);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        String key = keyText(t.getKeyNode(), path);
        if (out.put(key, bind(t.getValueNode(), typeArgument(type, 1), join(path, key))) != null) {
          throw error(t.getKeyNode(), join(path, key), "duplicate key");
        }
      }
      return Collections.unmodifiableMap(out);
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, path, "expected " + expected(raw) + ", got " + describe(node));
    }
    return scalar(scalar, raw, path);
  }

  private Object scalar(ScalarNode node, Class<?> raw, String path) {
    String text = node.getValue();
    if (raw == String.class) {
      return text;
    }
    if (raw == int.class || raw == Integer.class) {
      return (int) integer(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (raw == long.class || raw == Long.class) {
      return integer(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      if (!node.getTag().equals(Tag.BOOL)) {
        throw error(node, path, "expected true or false, got '" + text + "'");
      }
      String t = text.toLowerCase(Locale.ROOT);
      // YAML 1.1 booleans, which SnakeYAML resolves: true/false, yes/no, on/off.
      return t.equals("true") || t.equals("yes") || t.equals("on");
    }
    if (raw == double.class || raw == Double.class) {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw error(node, path, "expected a number, got '" + text + "'");
      }
    }
    if (raw.isEnum()) {
      String wanted = normalize(text);
      List<String> names = new ArrayList<>();
      for (Object c : raw.getEnumConstants()) {
        String name = ((Enum<?>) c).name();
        if (normalize(name).equals(wanted)) {
          return c;
        }
        names.add(name);
      }
      throw error(node, path, "expected one of " + names + ", got '" + text + "'");
    }
    if (raw == Path.class) {
      try {
        return Path.of(text);
      } catch (IllegalArgumentException e) {
        throw error(node, path, "not a valid path: " + e.getMessage());
      }
    }
    if (raw == URI.class) {
      try {
        return new URI(text);
      } catch (URISyntaxException e) {
        throw error(node, path, "not a valid URI: " + e.getReason());
      }
    }
    Method parse = parseMethod(raw);
    try {
      return parse.invoke(null, text);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw error(node, path, iae.getMessage());
      }
      throw new IllegalStateException(raw.getName() + ".parse failed unexpectedly", e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(raw.getName() + ".parse is not accessible", e);
    }
  }

  private long integer(Node node, String path, long min, long max) {
    if (!(node instanceof ScalarNode s) || !s.getTag().equals(Tag.INT)) {
      throw error(node, path, "expected an integer, got " + describe(node));
    }
    long v;
    try {
      v = Long.parseLong(s.getValue().replace("_", ""));
    } catch (NumberFormatException e) {
      throw error(node, path, "expected a decimal integer, got '" + s.getValue() + "'");
    }
    if (v < min || v > max) {
      throw error(node, path, "integer " + v + " is out of range");
    }
    return v;
  }

  private Object absent(Type type, String path, Mark mark, Optional<String> defaultYaml) {
    if (defaultYaml.isPresent()) {
      Node d = new ConfigLoader("default of " + path, warnings).compose(defaultYaml.get());
      if (d == null) {
        throw new IllegalStateException("empty @ConfigDefault for " + path);
      }
      return bind(d, type, path);
    }
    Class<?> raw = rawClass(type);
    if (raw == Optional.class) {
      return Optional.empty();
    }
    if (raw == OptionalInt.class) {
      return OptionalInt.empty();
    }
    if (raw == OptionalLong.class) {
      return OptionalLong.empty();
    }
    if (raw == List.class) {
      return List.of();
    }
    if (raw == Map.class) {
      return Map.of();
    }
    if (isStructured(raw)) {
      return bindRecord(emptyMapping(mark), raw, path);
    }
    throw new ConfigException(at(mark), path, "missing required key");
  }

  private Object bindRecord(MappingNode m, Class<?> type, String path) {
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = keyText(t.getKeyNode(), path);
      if (entries.put(key, t) != null) {
        throw error(t.getKeyNode(), join(path, key), "duplicate key");
      }
    }
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      if (c.isAnnotationPresent(ConfigFlatten.class)) {
        if (!c.getType().isRecord()) {
          throw new IllegalStateException("@ConfigFlatten needs a record type: " + type.getName() + "." + c.getName());
        }
        args[i] = bindRecord(m, c.getType(), path);
        continue;
      }
      String key = key(c);
      NodeTuple t = entries.get(key);
      for (String alias : aliases(c)) {
        NodeTuple a = entries.get(alias);
        if (a != null && t != null) {
          throw error(a.getKeyNode(), join(path, alias), "the same setting as " + key + "; give only one of them");
        }
        t = t == null ? a : t;
      }
      ConfigDefault d = c.getAnnotation(ConfigDefault.class);
      Optional<String> defaultYaml = d == null ? Optional.empty() : Optional.of(d.value());
      if (t == null) {
        args[i] = absent(c.getGenericType(), join(path, key), m.getStartMark(), defaultYaml);
      } else if (t.getValueNode() instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
        args[i] = absent(c.getGenericType(), join(path, key), s.getStartMark(), defaultYaml);
      } else {
        args[i] = bind(t.getValueNode(), c.getGenericType(), join(path, key));
      }
    }
    try {
      Constructor<?> ctor = type.getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InvalidConfigValueException icv) {
        NodeTuple t = entries.get(icv.key());
        Mark mark = t == null ? m.getStartMark() : t.getValueNode().getStartMark();
        throw new ConfigException(at(mark), join(path, icv.key()), icv.reason());
      }
      if (cause instanceof IllegalArgumentException iae) {
        throw new ConfigException(at(m.getStartMark()), path, iae.getMessage());
      }
      throw new IllegalStateException("constructing " + type.getName() + " failed", cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("config record " + type.getName() + " needs a public canonical constructor",
          e);
    }
  }

  private void checkKeys(MappingNode m, Class<?> type, String path) {
    Set<String> known = new LinkedHashSet<>();
    collectKeys(type, known);
    Map<String, String> ignored = new LinkedHashMap<>();
    collectIgnored(type, ignored);
    for (NodeTuple t : m.getValue()) {
      String key = keyText(t.getKeyNode(), path);
      if (ignored.containsKey(key)) {
        warnings.accept(at(t.getKeyNode().getStartMark()) + ": " + join(path, key) + ": ignored: "
            + ignored.get(key));
        continue;
      }
      if (!known.contains(key)) {
        throw error(t.getKeyNode(), join(path, key), "unknown key (expected one of: " + String.join(", ", known)
            + ")");
      }
    }
  }

  private static void collectKeys(Class<?> type, Set<String> into) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.isAnnotationPresent(ConfigFlatten.class)) {
        collectKeys(c.getType(), into);
      } else {
        into.add(key(c));
        into.addAll(aliases(c));
      }
    }
  }

  /** The {@link ConfigIgnoredKeys} of {@code type} and of the records flattened into it, key to reason. */
  private static void collectIgnored(Class<?> type, Map<String, String> into) {
    ConfigIgnoredKeys ignored = type.getAnnotation(ConfigIgnoredKeys.class);
    if (ignored != null) {
      for (String entry : ignored.value()) {
        int colon = entry.indexOf(':');
        into.put(entry.substring(0, colon).strip(), entry.substring(colon + 1).strip());
      }
    }
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.isAnnotationPresent(ConfigFlatten.class)) {
        collectIgnored(c.getType(), into);
      }
    }
  }

  private static List<String> aliases(RecordComponent c) {
    ConfigKey k = c.getAnnotation(ConfigKey.class);
    return k == null ? List.of() : List.of(k.aliases());
  }

  private String keyText(Node key, String path) {
    if (!(key instanceof ScalarNode s)) {
      throw error(key, path, "keys must be plain strings");
    }
    return s.getValue();
  }

  /** The YAML key of a component: its {@link ConfigKey}, else its name in snake_case. */
  static String key(RecordComponent c) {
    ConfigKey k = c.getAnnotation(ConfigKey.class);
    if (k != null) {
      return k.value();
    }
    String name = c.getName();
    StringBuilder sb = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** A record read from a mapping; a record with a {@code parse(String)} factory is a scalar value instead. */
  private static boolean isStructured(Class<?> raw) {
    return raw.isRecord() && findParse(raw).isEmpty();
  }

  private static Optional<Method> findParse(Class<?> raw) {
    try {
      Method m = raw.getMethod("parse", String.class);
      if (Modifier.isStatic(m.getModifiers()) && raw.isAssignableFrom(m.getReturnType())) {
        return Optional.of(m);
      }
    } catch (NoSuchMethodException e) {
      // No factory: not a scalar value type.
    }
    return Optional.empty();
  }

  private static Method parseMethod(Class<?> raw) {
    return findParse(raw).orElseThrow(
        () -> new IllegalStateException("config type " + raw.getName() + " has no public static parse(String)"));
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported config type " + type);
  }

  private static Type typeArgument(Type type, int index) {
    if (type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    throw new IllegalStateException("raw generic config type " + type);
  }

  private static MappingNode emptyMapping(Mark mark) {
    return new MappingNode(Tag.MAP, true, new ArrayList<>(), mark, mark, DumperOptions.FlowStyle.BLOCK);
  }

  private static String expected(Class<?> raw) {
    if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
      return "an integer";
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return "true or false";
    }
    return "a single value";
  }

  private static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  private static String normalize(String s) {
    return s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private ConfigException error(Node node, String path, String reason) {
    return new ConfigException(at(node.getStartMark()), path, reason);
  }

  private String at(Mark mark) {
    if (mark == null) {
      return source;
    }
    // SnakeYAML counts from zero; editors count from one.
    return source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }
}
