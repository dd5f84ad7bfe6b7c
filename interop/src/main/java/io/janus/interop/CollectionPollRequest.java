package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The collector's {@code /internal/test/collection_poll} request (draft-dcook-ppm-dap-interop-test-design-07
 * section 4.4.4).
 *
 * @param handle a handle returned by {@code collection_start}
 */
public record CollectionPollRequest(String handle) {
  /** Rejects a null handle. */
  public CollectionPollRequest {
    Objects.requireNonNull(handle, "handle");
  }

  /**
   * Parses the request body.
   *
   * @throws InteropRequestException if {@code handle} is missing or not a string
   */
  public static CollectionPollRequest parse(JsonFields f) {
    return new CollectionPollRequest(f.string("handle"));
  }

  /** The request body, as a test runner sends it. */
  public ObjectNode toJson() {
    return JsonNodeFactory.instance.objectNode().put("handle", handle);
  }
}
