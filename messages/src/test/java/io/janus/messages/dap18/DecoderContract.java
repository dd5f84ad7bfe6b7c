package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.Encodable;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What every decoder promises about arbitrary bytes, checked one input at a time: it either throws
 * {@link DecodeException} with an offset inside the input, or returns a value that holds no more bytes than the input
 * and re-encodes to exactly the input (the codec is canonical). Any other exception escapes to the caller.
 */
final class DecoderContract {
  private DecoderContract() {}

  /**
   * Decodes {@code input} with {@code codec} and checks the contract.
   *
   * @return true if the decoder accepted the input, false if it rejected it with a {@link DecodeException}
   * @throws AssertionError if the decoder broke the contract; an undocumented exception propagates unchanged
   */
  static boolean check(Samples.Codec codec, byte[] input) {
    Object value;
    try {
      value = codec.decoder().apply(input);
    } catch (DecodeException e) {
      if (e.offset() < 0 || e.offset() > input.length) {
        throw new AssertionError(describe(codec, input) + ": offset " + e.offset() + " outside the input", e);
      }
      return false;
    }
    long held = ByteContent.of(value);
    if (held > input.length) {
      throw new AssertionError(describe(codec, input) + ": decoded value holds " + held + " bytes");
    }
    byte[] again = ((Encodable) value).toBytes();
    if (!Arrays.equals(again, input)) {
      throw new AssertionError(describe(codec, input) + ": re-encodes to " + HexFormat.of().formatHex(again));
    }
    return true;
  }

  private static String describe(Samples.Codec codec, byte[] input) {
    return codec.name() + " (input " + HexFormat.of().formatHex(input) + ")";
  }
}
