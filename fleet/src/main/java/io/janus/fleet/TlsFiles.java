package io.janus.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A section's {@code cert-file}, {@code key-file} and {@code ca-file}: PEM files for mutual TLS, given all three
 * or none. The key file is a secret ({@link SecretFiles}: not world-readable) holding an unencrypted PKCS#8
 * {@code PRIVATE KEY}; the certificate file holds the client's certificate chain, the CA file the certificates
 * that the peer's must chain to.
 *
 * @param cert the client certificate chain
 * @param key the client's private key
 * @param ca the trusted certificates
 */
public record TlsFiles(Path cert, Path key, Path ca) {
  private static final List<String> KEYS = List.of("cert-file", "key-file", "ca-file");
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  /**
   * Reads the three keys of {@code section}: none set gives empty, all three set gives the files, checked to
   * parse; anything else is an error at the first key set.
   *
   * @throws ConfigException naming the key whose file is missing, unreadable, world-readable (the key) or not PEM
   */
  public static Optional<TlsFiles> read(IniSection section) {
    Optional<Path> cert = section.path("cert-file");
    Optional<Path> key = SecretFiles.path(section, "key-file");
    Optional<Path> ca = section.path("ca-file");
    int set = (cert.isPresent() ? 1 : 0) + (key.isPresent() ? 1 : 0) + (ca.isPresent() ? 1 : 0);
    if (set == 0) {
      return Optional.empty();
    }
    if (set != 3) {
      String first = cert.isPresent() ? "cert-file" : key.isPresent() ? "key-file" : "ca-file";
      throw section.error(first, "cert-file, key-file and ca-file go together: set all three or none");
    }
    TlsFiles files = new TlsFiles(cert.get(), key.get(), ca.get());
    try {
      files.certificates(files.cert);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw section.error("cert-file", "not a PEM certificate file: " + e.getMessage());
    }
    try {
      files.certificates(files.ca);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw section.error("ca-file", "not a PEM certificate file: " + e.getMessage());
    }
    try {
      files.privateKey();
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw section.error("key-file", e.getMessage());
    }
    return Optional.of(files);
  }

  /** The keys this reads, for documentation and checks. */
  public static List<String> keys() {
    return KEYS;
  }

  /**
   * An SSL context presenting {@link #cert} with {@link #key} and trusting only {@link #ca}.
   *
   * @throws IllegalStateException if the files changed since {@link #read} and no longer parse
   */
  public SSLContext sslContext() {
    try {
      char[] none = new char[0];
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", privateKey(), none, certificates(cert).toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, none);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certificates(ca)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build TLS from " + cert + ", " + key + ", " + ca + ": "
          + e.getMessage(), e);
    }
  }

  private List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      List<Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + file);
      }
      return certs;
    }
  }

  private PrivateKey privateKey() throws IOException, GeneralSecurityException {
    String pem = Files.readString(key, StandardCharsets.US_ASCII);
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException(key + " holds no unencrypted PKCS#8 PRIVATE KEY (convert one with "
          + "openssl pkcs8 -topk8 -nocrypt)");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new IllegalArgumentException(key + " holds a private key of no supported algorithm (RSA, EC, EdDSA)",
        last);
  }
}
