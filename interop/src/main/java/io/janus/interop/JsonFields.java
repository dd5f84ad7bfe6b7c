package io.janus.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.messages.Base64Url;
import io.janus.messages.TaskId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed, validating access to the fields of one JSON object of the interop test API
 * (draft-dcook-ppm-dap-interop-test-design-07 section 4). Every accessor throws {@link InteropRequestException}
 * naming the field and what was wrong with it, so a bad request turns into a useful error body.
 *
 * <p>The draft's conventions: binary values are unpadded base64url strings; VDAF parameters, measurements and
 * results are base-10 strings; times, durations, counts and query types are JSON numbers. A field that is present
 * with the value {@code null} counts as absent.
 */
public final class JsonFields {
  private final ObjectNode node;
  private final String prefix;

  private JsonFields(ObjectNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
  }

  /**
   * Wraps a request body, which must be a JSON object.
   *
   * @throws InteropRequestException if {@code node} is not an object
   */
  public static JsonFields of(JsonNode node) {
    Objects.requireNonNull(node, "node");
    if (!(node instanceof ObjectNode o)) {
      throw new InteropRequestException("request body must be a JSON object, got " + kind(node));
    }
    return new JsonFields(o, "");
  }

  /** The wrapped object. */
  public ObjectNode node() {
    return node;
  }

  /** True if the field is present and not {@code null}. */
  public boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  /** The raw value of a required field. */
  public JsonNode required(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new InteropRequestException("missing field \"" + path(name) + "\"");
    }
    return v;
  }

  /** A required string field. */
  public String string(String name) {
    JsonNode v = required(name);
    if (!v.isTextual()) {
      throw new InteropRequestException("field \"" + path(name) + "\" must be a string, got " + kind(v));
    }
    return v.textValue();
  }

  /** An optional string field. */
  public Optional<String> optionalString(String name) {
    return has(name) ? Optional.of(string(name)) : Optional.empty();
  }

  /** A required field holding unpadded base64url, decoded. */
  public byte[] base64Url(String name) {
    String text = string(name);
    try {
      return Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      throw new InteropRequestException("field \"" + path(name) + "\" is not valid base64url: " + e.getMessage());
    }
  }

  /** A required field holding a base64url DAP task ID (32 bytes). */
  public TaskId taskId(String name) {
    byte[] bytes = base64Url(name);
    if (bytes.length != TaskId.LENGTH) {
      throw new InteropRequestException("field \"" + path(name) + "\" must encode " + TaskId.LENGTH
          + " bytes, got " + bytes.length);
    }
    return new TaskId(bytes);
  }

  /**
   * A required string field holding an authentication token, which the draft sends in the {@code DAP-Auth-Token}
   * header.
   */
  public AuthenticationToken dapAuthToken(String name) {
    String text = string(name);
    try {
      return new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, text);
    } catch (IllegalArgumentException e) {
      throw new InteropRequestException("field \"" + path(name) + "\" is not a valid DAP-Auth-Token: "
          + e.getMessage());
    }
  }

  /** A required field holding an absolute http or https URL. */
  public URI url(String name) {
    String text = string(name);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new InteropRequestException("field \"" + path(name) + "\" is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme();
    if (!uri.isAbsolute() || uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
      throw new InteropRequestException("field \"" + path(name) + "\" must be an absolute http(s) URL, got \""
          + text + "\"");
    }
    return uri;
  }

  /** A required JSON number that is a non-negative integer fitting in a signed 64-bit value. */
  public long number(String name) {
    return numberValue(name, required(name));
  }

  /** An optional non-negative integer JSON number. */
  public OptionalLong optionalNumber(String name) {
    return has(name) ? OptionalLong.of(number(name)) : OptionalLong.empty();
  }

  /** A required JSON number in {@code [min, max]}. */
  public long number(String name, long min, long max) {
    long v = number(name);
    if (v < min || v > max) {
      throw new InteropRequestException("field \"" + path(name) + "\" must be in " + min + ".." + max + ", got " + v);
    }
    return v;
  }

  /** A required base-10 string holding an integer in {@code [min, max]} (the draft's encoding of VDAF numbers). */
  public long decimal(String name, long min, long max) {
    JsonNode v = required(name);
    return decimalValue(path(name), v, min, max);
  }

  /** A required nested object; its fields are named {@code name.field} in error messages. */
  public JsonFields object(String name) {
    JsonNode v = required(name);
    if (!(v instanceof ObjectNode o)) {
      throw new InteropRequestException("field \"" + path(name) + "\" must be a JSON object, got " + kind(v));
    }
    return new JsonFields(o, path(name) + ".");
  }

  /** The name of field {@code name} of this object in error messages, with the path of enclosing objects. */
  public String path(String name) {
    return prefix + name;
  }

  /**
   * Parses a base-10 integer string, as the draft encodes VDAF parameters and measurements. Signs, spaces and
   * other text are refused.
   *
   * @param what the field's name for error messages
   */
  static long decimalValue(String what, JsonNode v, long min, long max) {
    if (!v.isTextual()) {
      throw new InteropRequestException("field \"" + what + "\" must be a base-10 string, got " + kind(v));
    }
    String text = v.textValue();
    if (text.isEmpty() || text.length() > 20) {
      throw new InteropRequestException("field \"" + what + "\" is not a base-10 integer: \"" + text + "\"");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new InteropRequestException("field \"" + what + "\" is not a base-10 integer: \"" + text + "\"");
      }
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InteropRequestException("field \"" + what + "\" is out of range: \"" + text + "\"");
    }
    if (value < min || value > max) {
      throw new InteropRequestException("field \"" + what + "\" must be in " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  private long numberValue(String name, JsonNode v) {
    if (!v.isIntegralNumber()) {
      throw new InteropRequestException("field \"" + path(name) + "\" must be an integer number, got " + kind(v));
    }
    if (!v.canConvertToLong() || v.longValue() < 0) {
      throw new InteropRequestException("field \"" + path(name) + "\" must be a non-negative 63-bit integer, got "
          + v);
    }
    return v.longValue();
  }

  static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "string \"" + v.textValue() + "\"";
    }
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + v;
  }
}
