package io.janus.bench;

import io.janus.core.hpke.HpkeException;
import io.janus.core.hpke.internal.X25519;
import io.janus.core.hpke.internal.X25519Hpke;
import io.janus.core.hpke.internal.X25519Providers;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HPKE DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM per X25519 provider, side by side in one run: the
 * bare X25519 function, an open with a key parsed once (as the Leader opens uploads), and a seal (as clients do,
 * with a fresh ephemeral key each time).
 *
 * <p>Uses {@code io.janus.core.hpke.internal} to pick the provider per trial rather than per JVM: fine on the class
 * path of the benchmark jar, and nothing here is API. The plaintext is 512 bytes, about a Prio3 Leader input share
 * for a small histogram.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class HpkeBenchmark {
  private static final int AEAD = X25519Hpke.AEAD_AES_128_GCM;

  /** {@value X25519Providers#OPENSSL} or {@value X25519Providers#BOUNCYCASTLE}. */
  @Param({X25519Providers.OPENSSL, X25519Providers.BOUNCYCASTLE})
  public String provider;

  private X25519Hpke hpke;
  private X25519.PrivateKey key;
  private byte[] publicKey;
  private byte[] peer;
  private final byte[] shared = new byte[X25519.LENGTH];
  private final byte[] info = "dap-09 input share".getBytes(StandardCharsets.US_ASCII);
  private final byte[] aad = new byte[96];
  private final byte[] plaintext = new byte[512];
  private byte[] enc;
  private byte[] ciphertext;

  /** Makes the recipient key (parsed once, like a cached keypair) and one ciphertext to open. */
  @Setup
  public void setUp() {
    X25519 x = provider.equals(X25519Providers.OPENSSL) ? X25519Providers.openSsl() : X25519Providers.bouncyCastle();
    hpke = new X25519Hpke(x);
    key = x.privateKey(X25519Hpke.generatePrivateKey());
    publicKey = key.publicKey();
    try (X25519.PrivateKey other = x.privateKey(X25519Hpke.generatePrivateKey())) {
      peer = other.publicKey();
    }
    SplittableRandom random = new SplittableRandom(Prio3Benchmark.SEED);
    random.nextBytes(aad);
    random.nextBytes(plaintext);
    byte[][] sealed = hpke.seal(AEAD, publicKey, info, aad, plaintext);
    enc = sealed[0];
    ciphertext = sealed[1];
  }

  /** Frees the recipient key. */
  @TearDown
  public void tearDown() {
    key.close();
  }

  /** X25519(sk, peer) with a parsed private key: the DH step alone. */
  @Benchmark
  public byte[] x25519() {
    if (!key.agree(peer, shared)) {
      throw new IllegalStateException("X25519 failed");
    }
    return shared;
  }

  /** OpenBase: one X25519, the key schedule, and AES-128-GCM over 512 bytes. */
  @Benchmark
  public byte[] open() throws HpkeException {
    return hpke.open(AEAD, key, publicKey, info, enc, aad, ciphertext);
  }

  /** SealBase: a fresh ephemeral key (its public key costs a second scalar multiplication), then as open. */
  @Benchmark
  public byte[][] seal() {
    return hpke.seal(AEAD, publicKey, info, aad, plaintext);
  }
}
