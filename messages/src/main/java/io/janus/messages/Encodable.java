package io.janus.messages;

/** A value with a wire encoding. */
public interface Encodable {
  /** Appends this value's encoding to {@code writer}. */
  void encode(WireWriter writer);

  /** Returns this value's encoding as a new array. */
  default byte[] toBytes() {
    WireWriter w = new WireWriter();
    encode(w);
    return w.toByteArray();
  }
}
