package io.janus.core.task;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Holds the Jackson mapper used for the VDAF JSON form (thread-safe once configured, never reconfigured). */
final class VdafJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private VdafJson() {}
}
