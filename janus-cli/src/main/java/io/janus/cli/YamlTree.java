package io.janus.cli;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Builds YAML node trees and writes them in block style. Working on nodes rather than Java maps lets the output
 * carry Janus's local tags ({@code !FixedSize}, {@code !Prio3Sum}) and keep keys in a fixed, readable order; the
 * emitter quotes any string that would otherwise read back as a number, boolean or null.
 */
final class YamlTree {
  private YamlTree() {}

  /** A plain string scalar. */
  static Node str(String value) {
    return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
  }

  /** An integer scalar. */
  static Node integer(long value) {
    return new ScalarNode(Tag.INT, Long.toString(value), null, null, DumperOptions.ScalarStyle.PLAIN);
  }

  /** The null scalar. */
  static Node nul() {
    return new ScalarNode(Tag.NULL, "null", null, null, DumperOptions.ScalarStyle.PLAIN);
  }

  /** An integer scalar, or null when absent. */
  static Node optionalInteger(Optional<Long> value) {
    return value.map(YamlTree::integer).orElseGet(YamlTree::nul);
  }

  /** A sequence of nodes. */
  static Node seq(List<Node> items) {
    return new SequenceNode(Tag.SEQ, new ArrayList<>(items), DumperOptions.FlowStyle.BLOCK);
  }

  /** A sequence of nodes written inline ({@code [1, 2, 3]}), for short lists of numbers. */
  static Node flowSeq(List<Node> items) {
    return new SequenceNode(Tag.SEQ, new ArrayList<>(items), DumperOptions.FlowStyle.FLOW);
  }

  /** A mapping builder whose keys keep insertion order. */
  static MapBuilder map() {
    return new MapBuilder(Tag.MAP);
  }

  /** A mapping builder whose node carries a local tag such as {@code !FixedSize}. */
  static MapBuilder taggedMap(String localTag) {
    return new MapBuilder(new Tag("!" + localTag));
  }

  /** Renders {@code root} as a YAML document without a start marker. */
  static String dump(Node root) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    StringWriter w = new StringWriter();
    new Yaml(options).serialize(root, w);
    return w.toString();
  }

  /** Collects the entries of one mapping node. Not thread-safe. */
  static final class MapBuilder {
    private final Tag tag;
    private final List<NodeTuple> entries = new ArrayList<>();

    private MapBuilder(Tag tag) {
      this.tag = tag;
    }

    /** Adds {@code key: value}. */
    MapBuilder put(String key, Node value) {
      entries.add(new NodeTuple(str(key), value));
      return this;
    }

    /** Adds {@code key: value} with a string value. */
    MapBuilder put(String key, String value) {
      return put(key, str(value));
    }

    /** Adds {@code key: value} with an integer value. */
    MapBuilder put(String key, long value) {
      return put(key, integer(value));
    }

    /** The mapping node. */
    Node build() {
      return new MappingNode(tag, new ArrayList<>(entries), DumperOptions.FlowStyle.BLOCK);
    }
  }
}
