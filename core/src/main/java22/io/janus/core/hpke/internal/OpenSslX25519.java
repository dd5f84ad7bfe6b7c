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
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * X25519 through OpenSSL 3's libcrypto ({@code EVP_PKEY_derive}), called with the foreign function API: 2.6
 * times as fast as BouncyCastle on x86-64 (docs/PERFORMANCE.md): libcrypto does its field arithmetic in 64-bit
 * limbs, with assembly where the CPU has it.
 *
 * <p>Compiled for Java 22, where {@code java.lang.foreign} is final, from {@code src/main/java22}; the Java 21 code
 * reaches it only through {@link X25519Providers}, by name, and only on a 22+ runtime. Loading the class links
 * libcrypto and fails with an {@link ExceptionInInitializerError} if no libcrypto 3 is found.
 *
 * <p>A private key is an {@code EVP_PKEY} made once; OpenSSL documents such keys as safe to share between threads
 * for read-only use such as derivation. Each {@link PrivateKey#agree} borrows its mutable state (context, peer
 * key, buffer) from the key's pool, so a warm call allocates nothing native and takes no lock of ours.
 */
public final class OpenSslX25519 implements X25519 {
  /** {@code NID_X25519} / {@code EVP_PKEY_X25519}. */
  private static final int NID_X25519 = 1034;
  private static final String[] LIBRARY_NAMES = {"libcrypto.so.3", "libcrypto.3.dylib"};

  private static final String VERSION;
  private static final MethodHandle NEW_RAW_PRIVATE_KEY;
  private static final MethodHandle NEW_RAW_PUBLIC_KEY;
  private static final MethodHandle SET_ENCODED_PUBLIC_KEY;
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
    SET_ENCODED_PUBLIC_KEY = handle(lib, linker, "EVP_PKEY_set1_encoded_public_key",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    GET_RAW_PUBLIC_KEY = handle(lib, linker, "EVP_PKEY_get_raw_public_key",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    PKEY_FREE = handle(lib, linker, "EVP_PKEY_free", FunctionDescriptor.ofVoid(ADDRESS));
    CTX_NEW = handle(lib, linker, "EVP_PKEY_CTX_new", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    CTX_FREE = handle(lib, linker, "EVP_PKEY_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
    DERIVE_INIT = handle(lib, linker, "EVP_PKEY_derive_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    DERIVE_SET_PEER = handle(lib, linker, "EVP_PKEY_derive_set_peer_ex",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
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

  /**
   * An {@code EVP_PKEY} holding the private key, freed by {@link #close} or once unreachable, with a pool of
   * {@link Slot}s. A slot is not thread-safe, so each call takes one (or makes one) and puts it back; a warm key
   * then makes no OpenSSL object per call. That matters more than the allocations: {@code EVP_PKEY_CTX_new},
   * {@code EVP_PKEY_derive_init} and {@code EVP_PKEY_new_raw_public_key} each fetch an algorithm, OpenSSL 3.0's
   * slowest and most lock-contended step (openssl/openssl#20286: "pre-fetch"); 37.3 us per call became 31.9 us.
   * The pool holds at most as many slots as threads ever derived with the key at once, since nothing in a call
   * unmounts a virtual thread.
   */
  private static final class Key implements PrivateKey {
    private final MemorySegment pkey;
    private final byte[] pk;
    private final ConcurrentLinkedQueue<Slot> slots = new ConcurrentLinkedQueue<>();
    private final Cleaner.Cleanable cleanable;

    Key(MemorySegment pkey, byte[] pk) {
      this.pkey = pkey;
      this.pk = pk;
      // The action must not capture this Key, or the key would never become unreachable.
      ConcurrentLinkedQueue<Slot> pool = slots;
      this.cleanable = CLEANER.register(this, () -> {
        for (Slot slot = pool.poll(); slot != null; slot = pool.poll()) {
          slot.free();
        }
        free(pkey);
      });
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
      Slot slot = slots.poll();
      boolean ok = false;
      try {
        if (slot == null) {
          slot = new Slot(pkey, peer);
        } else {
          MemorySegment.copy(peer, 0, slot.buffer, JAVA_BYTE, 0, LENGTH);
          // Rewrite the slot's peer key in place (the call TLS uses to load a key share): no fetch, no allocation.
          if ((int) SET_ENCODED_PUBLIC_KEY.invokeExact(slot.peer, slot.buffer, (long) LENGTH) != 1) {
            clearErrors();
            return false;
          }
        }
        slot.length.set(JAVA_LONG, 0, LENGTH);
        // set_peer again even when the peer key object is the same, so the context takes the new value. Without
        // validation (0): for X25519 it only builds a context to check that a public key is present, and every
        // 32-byte string is one. What matters, an all-zero result from a small-order point, fails the derivation.
        ok = (int) DERIVE_SET_PEER.invokeExact(slot.ctx, slot.peer, 0) == 1
            && (int) DERIVE.invokeExact(slot.ctx, slot.buffer, slot.length) == 1
            && slot.length.get(JAVA_LONG, 0) == LENGTH;
        if (!ok) {
          clearErrors();
          return false;
        }
        MemorySegment.copy(slot.buffer, JAVA_BYTE, 0, out, 0, LENGTH);
        return true;
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      } finally {
        if (slot != null) {
          slot.buffer.fill((byte) 0);
          // Only a slot that just derived successfully goes back; after a failure its state is not worth trusting.
          if (ok) {
            slots.offer(slot);
          } else {
            slot.free();
          }
        }
        // pkey must outlive the native calls above: keep this Key (and so its cleaner) from running early.
        Reference.reachabilityFence(this);
      }
    }

    @Override
    public void close() {
      cleanable.clean();
    }
  }

  /**
   * One thread's derivation state for a key: a context initialized for derivation, a peer {@code EVP_PKEY}, and a
   * native buffer holding the peer's public key, then the shared secret, then its length.
   */
  private static final class Slot {
    final MemorySegment ctx;
    final MemorySegment peer;
    /** Freed by the garbage collector with the slot; only {@code ctx} and {@code peer} need {@link #free}. */
    final MemorySegment buffer = Arena.ofAuto().allocate(LENGTH + 8, 8);
    /** The secret's length, {@code buffer[32..40)}, as its own segment so a call allocates nothing. */
    final MemorySegment length = buffer.asSlice(LENGTH);

    /** Makes a context for {@code pkey} and a peer key holding {@code peer}. */
    Slot(MemorySegment pkey, byte[] peer) throws Throwable {
      MemorySegment.copy(peer, 0, buffer, JAVA_BYTE, 0, LENGTH);
      MemorySegment p = (MemorySegment) NEW_RAW_PUBLIC_KEY.invokeExact(
          NID_X25519, MemorySegment.NULL, buffer, (long) LENGTH);
      MemorySegment c = p.equals(MemorySegment.NULL)
          ? MemorySegment.NULL : (MemorySegment) CTX_NEW.invokeExact(pkey, MemorySegment.NULL);
      if (c.equals(MemorySegment.NULL) || (int) DERIVE_INIT.invokeExact(c) != 1) {
        clearErrors();
        freeContext(c);
        OpenSslX25519.free(p);
        throw new IllegalStateException("libcrypto could not set up an X25519 derivation");
      }
      ctx = c;
      this.peer = p;
    }

    void free() {
      freeContext(ctx);
      OpenSslX25519.free(peer);
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
