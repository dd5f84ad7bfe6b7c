package io.janus.messages.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.janus.messages.Base64Url;
import io.janus.messages.TaskId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzz targets (Jazzer), one per decoder, each checking {@link DecoderContract}: only
 * {@code DecodeException}, and whatever is accepted re-encodes to the same bytes.
 *
 * <p>A plain {@code verify} runs each target on its seeds under {@code DecoderFuzzTestInputs/<target>/} (valid
 * encodings, plus any input that once crashed a decoder). The {@code fuzz-decoders} surefire execution fuzzes
 * {@link #anyDecoder} for a few seconds, and {@code reliability/fuzz-decoders.sh} fuzzes every target for long runs
 * (docs/RELIABILITY.md).
 */
class DecoderFuzzTest {
  private static final LongAdder ACCEPTED = new LongAdder();
  private static final LongAdder REJECTED = new LongAdder();
  private static final Map<String, Samples.Codec> BY_NAME =
      Samples.ALL.stream().collect(Collectors.toMap(Samples.Codec::name, c -> c));

  @AfterAll
  static void printCountsAndRequireAcceptedInput() {
    System.out.printf("DecoderFuzzTest (messages): %d inputs, %d accepted, %d rejected%n",
        ACCEPTED.sum() + REJECTED.sum(), ACCEPTED.sum(), REJECTED.sum());
    // Every seed directory holds valid encodings: none accepted means the seeds were not found.
    assertThat(ACCEPTED.sum()).as("inputs the decoders accepted").isPositive();
  }

  /**
   * Every target behind one entry point: the first byte picks the decoder, the rest is its input. Jazzer fuzzes one
   * target per JVM, so this is the one the build's short fuzz run uses to reach all of them.
   */
  @FuzzTest(maxDuration = "5s")
  void anyDecoder(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int pick = (input[0] & 0xff) % (Samples.ALL.size() + 1);
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    if (pick == Samples.ALL.size()) {
      base64UrlText(rest);
    } else {
      decode(Samples.ALL.get(pick), rest);
    }
  }

  @FuzzTest
  void extension(byte[] input) {
    decode("Extension", input);
  }

  @FuzzTest
  void reportMetadata(byte[] input) {
    decode("ReportMetadata", input);
  }

  @FuzzTest
  void report(byte[] input) {
    decode("Report", input);
  }

  @FuzzTest
  void plaintextInputShare(byte[] input) {
    decode("PlaintextInputShare", input);
  }

  @FuzzTest
  void inputShareAad(byte[] input) {
    decode("InputShareAad", input);
  }

  @FuzzTest
  void reportShare(byte[] input) {
    decode("ReportShare", input);
  }

  @FuzzTest
  void prepareInit(byte[] input) {
    decode("PrepareInit", input);
  }

  @FuzzTest
  void partialBatchSelector(byte[] input) {
    decode("PartialBatchSelector", input);
  }

  @FuzzTest
  void aggregationJobInitReq(byte[] input) {
    decode("AggregationJobInitReq", input);
  }

  @FuzzTest
  void prepareResp(byte[] input) {
    decode("PrepareResp", input);
  }

  @FuzzTest
  void aggregationJobResp(byte[] input) {
    decode("AggregationJobResp", input);
  }

  @FuzzTest
  void prepareContinue(byte[] input) {
    decode("PrepareContinue", input);
  }

  @FuzzTest
  void aggregationJobContinueReq(byte[] input) {
    decode("AggregationJobContinueReq", input);
  }

  @FuzzTest
  void fixedSizeQuery(byte[] input) {
    decode("FixedSizeQuery", input);
  }

  @FuzzTest
  void query(byte[] input) {
    decode("Query", input);
  }

  @FuzzTest
  void collectionReq(byte[] input) {
    decode("CollectionReq", input);
  }

  @FuzzTest
  void collection(byte[] input) {
    decode("Collection", input);
  }

  @FuzzTest
  void batchSelector(byte[] input) {
    decode("BatchSelector", input);
  }

  @FuzzTest
  void aggregateShareReq(byte[] input) {
    decode("AggregateShareReq", input);
  }

  @FuzzTest
  void aggregateShare(byte[] input) {
    decode("AggregateShare", input);
  }

  @FuzzTest
  void aggregateShareAad(byte[] input) {
    decode("AggregateShareAad", input);
  }

  @FuzzTest
  void taskConfig(byte[] input) {
    decode("TaskConfig", input);
  }

  @FuzzTest
  void queryConfig(byte[] input) {
    decode("QueryConfig", input);
  }

  @FuzzTest
  void vdafConfig(byte[] input) {
    decode("VdafConfig", input);
  }

  @FuzzTest
  void vdafType(byte[] input) {
    decode("VdafType", input);
  }

  @FuzzTest
  void dpConfig(byte[] input) {
    decode("DpConfig", input);
  }

  @FuzzTest
  void hpkeCiphertext(byte[] input) {
    decode("HpkeCiphertext", input);
  }

  @FuzzTest
  void hpkeConfig(byte[] input) {
    decode("HpkeConfig", input);
  }

  @FuzzTest
  void hpkeConfigList(byte[] input) {
    decode("HpkeConfigList", input);
  }

  @FuzzTest
  void prepareError(byte[] input) {
    decode("PrepareError", input);
  }

  @FuzzTest
  void queryType(byte[] input) {
    decode("QueryType", input);
  }

  @FuzzTest
  void role(byte[] input) {
    decode("Role", input);
  }

  /**
   * The text decoder for IDs in URLs: {@link Base64Url#decode} may only throw {@link IllegalArgumentException}, and
   * accepts exactly the canonical text of some byte string; {@link TaskId#fromBase64Url} accepts it iff 32 bytes.
   */
  @FuzzTest
  void base64UrlText(byte[] input) {
    // Latin-1 maps each byte to one char, so the fuzzer reaches non-alphabet and non-ASCII characters alike.
    String text = new String(input, StandardCharsets.ISO_8859_1);
    byte[] decoded;
    try {
      decoded = Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      REJECTED.increment();
      return;
    }
    ACCEPTED.increment();
    if (!Base64Url.encode(decoded).equals(text)) {
      throw new AssertionError("Base64Url accepted non-canonical text " + HexFormat.of().formatHex(input));
    }
    boolean taskIdAccepted;
    try {
      taskIdAccepted = TaskId.fromBase64Url(text).toBase64Url().equals(text);
    } catch (IllegalArgumentException e) {
      taskIdAccepted = false;
    }
    if (taskIdAccepted != (decoded.length == TaskId.LENGTH)) {
      throw new AssertionError("TaskId.fromBase64Url disagrees with Base64Url on " + HexFormat.of().formatHex(input));
    }
  }

  private static void decode(String codecName, byte[] input) {
    decode(BY_NAME.get(codecName), input);
  }

  private static void decode(Samples.Codec codec, byte[] input) {
    (DecoderContract.check(codec, input) ? ACCEPTED : REJECTED).increment();
  }
}
