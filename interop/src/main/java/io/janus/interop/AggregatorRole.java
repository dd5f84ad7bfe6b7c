package io.janus.interop;

import io.janus.messages.Role;

/** The test API's aggregator role strings, {@code "leader"} and {@code "helper"}. */
public final class AggregatorRole {
  private AggregatorRole() {}

  /**
   * Reads a role field.
   *
   * @throws InteropRequestException unless the field is the string {@code "leader"} or {@code "helper"}
   */
  public static Role parse(JsonFields fields, String name) {
    String text = fields.string(name);
    return switch (text) {
      case "leader" -> Role.LEADER;
      case "helper" -> Role.HELPER;
      default -> throw new InteropRequestException("field \"" + fields.path(name)
          + "\" must be \"leader\" or \"helper\", got \"" + text + "\"");
    };
  }

  /** The role's string; only Leader and Helper have one. */
  public static String toJson(Role role) {
    return switch (role) {
      case LEADER -> "leader";
      case HELPER -> "helper";
      default -> throw new IllegalArgumentException("not an aggregator role: " + role);
    };
  }
}
