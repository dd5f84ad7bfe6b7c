package io.janus.core.hpke.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * X25519 through OpenSSL 3's libcrypto ({@code EVP_PKEY_derive}), called with the foreign function API: about
 * twice as fast as BouncyCastle on x86-64, because libcrypto's field arithmetic is 64-bit assembly.
 *
 * <p>Compiled for Java 22, where {@code java.lang.foreign} is final, from {@code src/main/java22}; the Java 21 code
 * reaches it only through {@link X25519Providers}, by name, and only on a 22+ runtime. Loading the class links
 * libcrypto and fails with an {@link ExceptionInInitializerError} if no libcrypto 3 is found.
 *
 * <p>A private key is an {@code EVP_PKEY} made once; OpenSSL documents such keys as safe to share between threads
 * for read-only use such as derivation. Each {@link PrivateKey#agree} makes and frees its own peer key and context,
 * so a call leaks nothing and needs no lock.
 */
public final class OpenSslX25519 implements X25519 {
  /** {@code NID_X25519} / {@code EVP_PKEY_X25519}. */
  private static final int NID_X25519 = 1034;
  private static final String[] LIBRARY_NAMES = {"libcrypto.so.3", "libcrypto.3.dylib"};

  private static final String VERSION;
  private static final MethodHandle NEW_RAW_PRIVATE_KEY;
  private static final MethodHandle NEW_RAW_PUBLIC_KEY;
  private static final MethodHandle GET_RAW_PUBLIC_KEY;
  private static final MethodHandle PKEY_FREE;
  private static final MethodHandle CTX_NEW;
  private static final MethodHandle CTX_FREE;
  private static final MethodHandle DERIVE_INIT;
  private static final MethodHandle DERIVE_SET_PEER;
  private static final MethodHandle DERIVE;
  private static final MethodHandle ERR_CLEAR_ERROR;
  /** Frees the EVP_PKEY of keys that were cached and are now unreachable. */
  private static final Cleaner CLEANER = Cleaner.create();

  static {
    if (ADDRESS.byteSize() != 8) {
      // size_t is mapped as a Java long below.
      throw new IllegalStateException("libcrypto binding needs a 64-bit platform");
    }
    SymbolLookup lib = null;
    for (String name : LIBRARY_NAMES) {
      try {
        lib = SymbolLookup.libraryLookup(name, Arena.global());
        break;
      } catch (IllegalArgumentException e) {
        // Not under this name; try the next.
      }
    }
    if (lib == null) {
      throw new IllegalStateException("no libcrypto 3 found (tried " + String.join(", ", LIBRARY_NAMES) + ")");
    }
    Linker linker = Linker.nativeLinker();
    try {
      int major = (int) handle(lib, linker, "OPENSSL_version_major", FunctionDescriptor.of(JAVA_INT)).invokeExact();
      if (major < 3) {
        throw new IllegalStateException("libcrypto is OpenSSL " + major + ", need 3");
      }
      MemorySegment text = (MemorySegment) handle(lib, linker, "OpenSSL_version",
          FunctionDescriptor.of(ADDRESS, JAVA_INT)).invokeExact(0);
      VERSION = text.reinterpret(256).getString(0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("cannot query the libcrypto version", t);
    }
    NEW_RAW_PRIVATE_KEY = handle(lib, linker, "EVP_PKEY_new_raw_private_key",
        FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    NEW_RAW_PUBLIC_KEY = handle(lib, linker, "EVP_PKEY_new_raw_public_key",
        FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    GET_RAW_PUBLIC_KEY = handle(lib, linker, "EVP_PKEY_get_raw_public_key",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    PKEY_FREE = handle(lib, linker, "EVP_PKEY_free", FunctionDescriptor.ofVoid(ADDRESS));
    CTX_NEW = handle(lib, linker, "EVP_PKEY_CTX_new", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    CTX_FREE = handle(lib, linker, "EVP_PKEY_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
    DERIVE_INIT = handle(lib, linker, "EVP_PKEY_derive_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    DERIVE_SET_PEER = handle(lib, linker, "EVP_PKEY_derive_set_peer",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    DERIVE = handle(lib, linker, "EVP_PKEY_derive", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    ERR_CLEAR_ERROR = handle(lib, linker, "ERR_clear_error", FunctionDescriptor.ofVoid());
  }

  /** The one instance: libcrypto is process-wide. Reached by name from {@link X25519Providers}. */
  public static final OpenSslX25519 INSTANCE = new OpenSslX25519();

  private OpenSslX25519() {}

  @Override
  public String description() {
    return VERSION + " libcrypto (foreign function API)";
  }

  @Override
  public PrivateKey privateKey(byte[] sk) {
    if (sk.length != LENGTH) {
      throw new IllegalArgumentException("X25519 private key must be 32 bytes, got " + sk.length);
    }
    MemorySegment pkey;
    byte[] pk = new byte[LENGTH];
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment raw = arena.allocateFrom(JAVA_BYTE, sk);
      pkey = (MemorySegment) NEW_RAW_PRIVATE_KEY.invokeExact(NID_X25519, MemorySegment.NULL, raw, (long) LENGTH);
      raw.fill((byte) 0);
      if (pkey.equals(MemorySegment.NULL)) {
        clearErrors();
        throw new IllegalStateException("libcrypto refused an X25519 private key");
      }
      MemorySegment out = arena.allocate(LENGTH);
      MemorySegment len = arena.allocate(JAVA_LONG);
      len.set(JAVA_LONG, 0, LENGTH);
      if ((int) GET_RAW_PUBLIC_KEY.invokeExact(pkey, out, len) != 1 || len.get(JAVA_LONG, 0) != LENGTH) {
        clearErrors();
        free(pkey);
        throw new IllegalStateException("libcrypto gave no X25519 public key");
      }
      MemorySegment.copy(out, JAVA_BYTE, 0, pk, 0, LENGTH);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    return new Key(pkey, pk);
  }

  /** An {@code EVP_PKEY} holding the private key, freed by {@link #close} or once unreachable. */
  private static final class Key implements PrivateKey {
    private final MemorySegment pkey;
    private final byte[] pk;
    private final Cleaner.Cleanable cleanable;

    Key(MemorySegment pkey, byte[] pk) {
      this.pkey = pkey;
      this.pk = pk;
      // The action must not capture this Key, or the key would never become unreachable.
      this.cleanable = CLEANER.register(this, () -> free(pkey));
    }

    @Override
    public byte[] publicKey() {
      return pk.clone();
    }

    @Override
    public boolean agree(byte[] peer, byte[] out) {
      if (peer.length != LENGTH) {
        return false;
      }
      MemorySegment peerKey = MemorySegment.NULL;
      MemorySegment ctx = MemorySegment.NULL;
      try (Arena arena = Arena.ofConfined()) {
        peerKey = (MemorySegment) NEW_RAW_PUBLIC_KEY.invokeExact(
            NID_X25519, MemorySegment.NULL, arena.allocateFrom(JAVA_BYTE, peer), (long) LENGTH);
        if (peerKey.equals(MemorySegment.NULL)) {
          clearErrors();
          return false;
        }
        ctx = (MemorySegment) CTX_NEW.invokeExact(pkey, MemorySegment.NULL);
        if (ctx.equals(MemorySegment.NULL)) {
          clearErrors();
          throw new IllegalStateException("libcrypto could not make an EVP_PKEY_CTX");
        }
        MemorySegment secret = arena.allocate(LENGTH);
        MemorySegment len = arena.allocate(JAVA_LONG);
        len.set(JAVA_LONG, 0, LENGTH);
        // libcrypto's X25519 fails the derivation when the result is all zeros (a small-order peer point).
        boolean ok = (int) DERIVE_INIT.invokeExact(ctx) == 1
            && (int) DERIVE_SET_PEER.invokeExact(ctx, peerKey) == 1
            && (int) DERIVE.invokeExact(ctx, secret, len) == 1
            && len.get(JAVA_LONG, 0) == LENGTH;
        if (!ok) {
          clearErrors();
          return false;
        }
        MemorySegment.copy(secret, JAVA_BYTE, 0, out, 0, LENGTH);
        secret.fill((byte) 0);
        return true;
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      } finally {
        freeContext(ctx);
        free(peerKey);
        // pkey must outlive the native calls above: keep this Key (and so its cleaner) from running early.
        Reference.reachabilityFence(this);
      }
    }

    @Override
    public void close() {
      cleanable.clean();
    }
  }

  private static void free(MemorySegment pkey) {
    try {
      // EVP_PKEY_free(NULL) is a no-op.
      PKEY_FREE.invokeExact(pkey);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static void freeContext(MemorySegment ctx) {
    try {
      CTX_FREE.invokeExact(ctx);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Drops the failure's entries from this thread's OpenSSL error queue, which nothing else reads. */
  private static void clearErrors() {
    try {
      ERR_CLEAR_ERROR.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static MethodHandle handle(SymbolLookup lib, Linker linker, String name, FunctionDescriptor fd) {
    return linker.downcallHandle(
        lib.find(name).orElseThrow(() -> new IllegalStateException("libcrypto has no " + name)), fd);
  }
}
