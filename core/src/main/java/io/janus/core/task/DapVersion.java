package io.janus.core.task;

import java.util.Optional;

/**
 * The DAP draft a task speaks. A task records its version and every component follows it: the aggregator serves
 * the task only on that draft's routes, and the Leader's drivers talk to the Helper in it. Each draft's wire code
 * lives in its own {@code dap09}-style package, registered against one of these constants.
 */
public enum DapVersion {
  /** draft-ietf-ppm-dap-09 with draft-irtf-cfrg-vdaf-08 Prio3. */
  DAP_09("DAP-09"),
  /** draft-ietf-ppm-dap-18 with draft-irtf-cfrg-vdaf-18 Prio3. */
  DAP_18("DAP-18");

  private final String text;

  DapVersion(String text) {
    this.text = text;
  }

  /** The name in configuration files, the database and logs, for example {@code DAP-09}. */
  public String text() {
    return text;
  }

  /** The version named {@code text} ({@code DAP-09}; case and an omitted hyphen are forgiven), if any. */
  public static Optional<DapVersion> fromText(String text) {
    String normalized = text.trim().toUpperCase(java.util.Locale.ROOT).replace("_", "-");
    for (DapVersion v : values()) {
      if (v.text.equals(normalized) || v.text.replace("-", "").equals(normalized)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
