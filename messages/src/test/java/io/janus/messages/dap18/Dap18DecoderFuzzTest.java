package io.janus.messages.dap18;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzz targets (Jazzer), one per DAP-18 decoder, each checking {@link DecoderContract}: only
 * {@code DecodeException}, and whatever is accepted re-encodes to the same bytes.
 *
 * <p>A plain {@code verify} runs each target on its seeds under {@code Dap18DecoderFuzzTestInputs/<target>/} (valid
 * encodings, plus any input that once crashed a decoder). The {@code fuzz-decoders-dap18} surefire execution fuzzes
 * {@link #anyDecoder} for a few seconds, and {@code reliability/fuzz-decoders.sh} fuzzes every target for long runs.
 * The class is not named {@code DecoderFuzzTest} so that the build's dap09 fuzz run, which selects that name, and
 * this one each get a JVM of their own (Jazzer fuzzes one target per JVM).
 */
class Dap18DecoderFuzzTest {
  private static final LongAdder ACCEPTED = new LongAdder();
  private static final LongAdder REJECTED = new LongAdder();
  private static final Map<String, Samples.Codec> BY_NAME =
      Samples.ALL.stream().collect(Collectors.toMap(Samples.Codec::name, c -> c));

  @AfterAll
  static void printCountsAndRequireAcceptedInput() {
    System.out.printf("Dap18DecoderFuzzTest (messages): %d inputs, %d accepted, %d rejected%n",
        ACCEPTED.sum() + REJECTED.sum(), ACCEPTED.sum(), REJECTED.sum());
    // Every seed directory holds valid encodings: none accepted means the seeds were not found.
    assertThat(ACCEPTED.sum()).as("inputs the decoders accepted").isPositive();
  }

  /** Every target behind one entry point: the first byte picks the decoder, the rest is its input. */
  @FuzzTest(maxDuration = "5s")
  void anyDecoder(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int pick = (input[0] & 0xff) % Samples.ALL.size();
    decode(Samples.ALL.get(pick), Arrays.copyOfRange(input, 1, input.length));
  }

  @FuzzTest
  void extension(byte[] input) {
    decode("Extension", input);
  }

  @FuzzTest
  void taskExtension(byte[] input) {
    decode("TaskExtension", input);
  }

  @FuzzTest
  void aggregationJobExtension(byte[] input) {
    decode("AggregationJobExtension", input);
  }

  @FuzzTest
  void collectionJobExtension(byte[] input) {
    decode("CollectionJobExtension", input);
  }

  @FuzzTest
  void interval(byte[] input) {
    decode("Interval", input);
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
  void uploadRequest(byte[] input) {
    decode("UploadRequest", input);
  }

  @FuzzTest
  void reportUploadStatus(byte[] input) {
    decode("ReportUploadStatus", input);
  }

  @FuzzTest
  void uploadErrors(byte[] input) {
    decode("UploadErrors", input);
  }

  @FuzzTest
  void plaintextInputShare(byte[] input) {
    decode("PlaintextInputShare", input);
  }

  @FuzzTest
  void taskConfiguration(byte[] input) {
    decode("TaskConfiguration", input);
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
  void verifyInit(byte[] input) {
    decode("VerifyInit", input);
  }

  @FuzzTest
  void aggregationJobInitReq(byte[] input) {
    decode("AggregationJobInitReq", input);
  }

  @FuzzTest
  void verifyResp(byte[] input) {
    decode("VerifyResp", input);
  }

  @FuzzTest
  void aggregationJobResp(byte[] input) {
    decode("AggregationJobResp", input);
  }

  @FuzzTest
  void verifyContinue(byte[] input) {
    decode("VerifyContinue", input);
  }

  @FuzzTest
  void aggregationJobContinueReq(byte[] input) {
    decode("AggregationJobContinueReq", input);
  }

  @FuzzTest
  void query(byte[] input) {
    decode("Query", input);
  }

  @FuzzTest
  void collectionJobReq(byte[] input) {
    decode("CollectionJobReq", input);
  }

  @FuzzTest
  void collectionJobResp(byte[] input) {
    decode("CollectionJobResp", input);
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
  void hpkeCiphertext(byte[] input) {
    decode("HpkeCiphertext", input);
  }

  @FuzzTest
  void hpkeConfigList(byte[] input) {
    decode("HpkeConfigList", input);
  }

  @FuzzTest
  void reportError(byte[] input) {
    decode("ReportError", input);
  }

  @FuzzTest
  void batchMode(byte[] input) {
    decode("BatchMode", input);
  }

  private static void decode(String codecName, byte[] input) {
    decode(BY_NAME.get(codecName), input);
  }

  private static void decode(Samples.Codec codec, byte[] input) {
    (DecoderContract.check(codec, input) ? ACCEPTED : REJECTED).increment();
  }
}
