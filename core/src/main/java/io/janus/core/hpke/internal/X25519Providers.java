package io.janus.core.hpke.internal;

import java.util.Arrays;

/**
 * Chooses, once per JVM, the {@link X25519} that HPKE uses: OpenSSL 3's libcrypto where it loads (runtime 22+,
 * where the foreign function API is final) and passes a self-test against BouncyCastle, else BouncyCastle. The
 * choice is logged once, at INFO, through {@link System.Logger}: java.util.logging unless the application routes
 * platform logging elsewhere.
 *
 * <p>The system property {@value #PROPERTY} forces a choice: {@value #OPENSSL} (fail rather than fall back) or
 * {@value #BOUNCYCASTLE} (for debugging, or to compare).
 */
public final class X25519Providers {
  /** The system property that forces a provider. */
  public static final String PROPERTY = "janus.hpke.provider";
  /** {@value #PROPERTY} value: OpenSSL's libcrypto, or fail. */
  public static final String OPENSSL = "openssl";
  /** {@value #PROPERTY} value: BouncyCastle. */
  public static final String BOUNCYCASTLE = "bouncycastle";

  /** Compiled from {@code src/main/java22} only; loaded by name so that this class still runs on Java 21. */
  private static final String OPENSSL_CLASS = "io.janus.core.hpke.internal.OpenSslX25519";

  private X25519Providers() {}

  /** The provider this JVM uses; the first call chooses it and logs the choice. */
  public static X25519 selected() {
    return Selected.INSTANCE;
  }

  /**
   * OpenSSL's libcrypto provider, after its self-test.
   *
   * @throws IllegalStateException naming the reason if the runtime is older than 22, no libcrypto 3 loads, or
   *     the self-test disagrees with BouncyCastle
   */
  public static X25519 openSsl() {
    if (Runtime.version().feature() < 22) {
      throw new IllegalStateException("Java " + Runtime.version().feature() + " has no final foreign function API");
    }
    X25519 x;
    try {
      x = (X25519) Class.forName(OPENSSL_CLASS).getField("INSTANCE").get(null);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("this build of janus-core was compiled without its Java 22 classes", e);
    } catch (ExceptionInInitializerError e) {
      throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("cannot load " + OPENSSL_CLASS + ": " + e, e);
    }
    selfTest(x);
    return x;
  }

  /** The BouncyCastle provider, always available. */
  public static X25519 bouncyCastle() {
    return BouncyCastleX25519.INSTANCE;
  }

  /** What {@link #selected} returns for a given {@value #PROPERTY} value (null for unset), and why. */
  static Choice choose(String forced) {
    if (BOUNCYCASTLE.equals(forced)) {
      return new Choice(bouncyCastle(), PROPERTY + "=" + BOUNCYCASTLE);
    }
    if (forced != null && !OPENSSL.equals(forced)) {
      throw new IllegalArgumentException(
          PROPERTY + " must be " + OPENSSL + " or " + BOUNCYCASTLE + ", not \"" + forced + "\"");
    }
    try {
      return new Choice(openSsl(), forced == null ? "libcrypto 3 loaded" : PROPERTY + "=" + OPENSSL);
    } catch (IllegalStateException e) {
      if (forced != null) {
        throw new IllegalStateException(PROPERTY + "=" + OPENSSL + " but OpenSSL is unusable: " + e.getMessage(), e);
      }
      return new Choice(bouncyCastle(), "OpenSSL unusable: " + e.getMessage());
    }
  }

  /** A chosen provider and the reason, for the log line. */
  record Choice(X25519 x25519, String reason) {}

  /**
   * Checks {@code x} against BouncyCastle on the RFC 7748 section 6.1 keys: both public keys and the shared
   * secret, computed from each side. A native library that loads but computes wrongly must never be used.
   */
  private static void selfTest(X25519 x) {
    byte[] a = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] b = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    X25519 reference = bouncyCastle();
    try (X25519.PrivateKey xa = x.privateKey(a); X25519.PrivateKey xb = x.privateKey(b);
        X25519.PrivateKey ra = reference.privateKey(a); X25519.PrivateKey rb = reference.privateKey(b)) {
      byte[] s1 = new byte[X25519.LENGTH];
      byte[] s2 = new byte[X25519.LENGTH];
      byte[] s3 = new byte[X25519.LENGTH];
      boolean ok = Arrays.equals(xa.publicKey(), ra.publicKey())
          && Arrays.equals(xb.publicKey(), rb.publicKey())
          && xa.agree(rb.publicKey(), s1)
          && xb.agree(ra.publicKey(), s2)
          && ra.agree(rb.publicKey(), s3)
          && Arrays.equals(s1, s3)
          && Arrays.equals(s2, s3)
          && !xa.agree(new byte[X25519.LENGTH], s1);
      if (!ok) {
        throw new IllegalStateException(x.description() + " failed the X25519 self-test");
      }
    }
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  /** Holder idiom: the choice is made, and logged, on first use only. */
  private static final class Selected {
    static final X25519 INSTANCE;

    static {
      Choice c = choose(System.getProperty(PROPERTY));
      System.getLogger(X25519Providers.class.getName()).log(System.Logger.Level.INFO,
          "HPKE X25519: " + c.x25519().description() + " (" + c.reason() + ")");
      INSTANCE = c.x25519();
    }
  }
}
