package io.janus.core.hpke.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test access to the OpenSSL provider, skipping (never failing) only where it cannot exist. */
public final class Libcrypto {
  /** Where Debian, Ubuntu, Fedora, Alpine and Homebrew install libcrypto 3. */
  private static final List<String> PATHS = List.of(
      "/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/lib/aarch64-linux-gnu/libcrypto.so.3",
      "/lib/x86_64-linux-gnu/libcrypto.so.3", "/lib/aarch64-linux-gnu/libcrypto.so.3", "/usr/lib64/libcrypto.so.3",
      "/usr/lib/libcrypto.so.3", "/lib/libcrypto.so.3", "/opt/homebrew/lib/libcrypto.3.dylib",
      "/usr/local/lib/libcrypto.3.dylib");

  private Libcrypto() {}

  /**
   * The OpenSSL provider; aborts the test with a reason if the JVM predates the final foreign function API or
   * the machine has no libcrypto 3. Where both exist, a provider that fails to load fails the test.
   */
  public static X25519 openSslOrSkip() {
    assumeTrue(Runtime.version().feature() >= 22,
        "Java " + Runtime.version().feature() + ": the OpenSSL provider needs the final foreign function API (22+)");
    assumeTrue(PATHS.stream().anyMatch(p -> Files.exists(Path.of(p))), "no libcrypto 3 on this machine: " + PATHS);
    return X25519Providers.openSsl();
  }

  /** The provider named {@code name}, {@value X25519Providers#OPENSSL} or {@value X25519Providers#BOUNCYCASTLE}. */
  public static X25519 provider(String name) {
    return name.equals(X25519Providers.OPENSSL) ? openSslOrSkip() : X25519Providers.bouncyCastle();
  }
}
