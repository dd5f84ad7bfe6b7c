package io.janus.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The open {@link HpkeBenchmark} replaces: BouncyCastle's own HPKE (its HKDF and AES-GCM in pure Java), parsing
 * the private key on every call, as {@code Hpke.open} did before it cached keys. Same suite and sizes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HpkeBaselineBenchmark {
  private final HPKE hpke = new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256,
      HPKE.aead_AES_GCM128);
  private final byte[] info = "dap-09 input share".getBytes(StandardCharsets.US_ASCII);
  private final byte[] aad = new byte[96];
  private final byte[] plaintext = new byte[512];
  private byte[] sk;
  private byte[] pk;
  private byte[] enc;
  private byte[] ciphertext;

  /** Makes a recipient key and one ciphertext to open. */
  @Setup
  public void setUp() throws InvalidCipherTextException {
    SplittableRandom random = new SplittableRandom(Prio3Benchmark.SEED);
    random.nextBytes(aad);
    random.nextBytes(plaintext);
    AsymmetricCipherKeyPair kp = hpke.generatePrivateKey();
    sk = hpke.serializePrivateKey(kp.getPrivate());
    pk = hpke.serializePublicKey(kp.getPublic());
    HPKEContextWithEncapsulation ctx = hpke.setupBaseS(kp.getPublic(), info);
    enc = ctx.getEncapsulation();
    ciphertext = ctx.seal(aad, plaintext);
  }

  /** Parse the stored key, SetupBaseR, open. */
  @Benchmark
  public byte[] open() throws InvalidCipherTextException {
    AsymmetricCipherKeyPair kpR = hpke.deserializePrivateKey(sk, pk);
    return hpke.setupBaseR(enc, kpR, info).open(aad, ciphertext);
  }
}
