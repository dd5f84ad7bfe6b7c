package io.janus.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock file held for a daemon's lifetime, so that two daemons never run on the same lock directory: an
 * operating-system lock on {@code <lockdir>/<name>.lock}, which also holds the holder's process ID for people.
 * The OS drops the lock when the process dies, so a crash leaves no stale lock behind.
 */
public final class LockFile implements AutoCloseable {
  /** Another process (or this one) holds the lock. */
  public static final class HeldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HeldException(String message) {
      super(message);
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock {@code <lockdir>/<name>.lock}, creating the directory if needed.
   *
   * @throws HeldException if another daemon holds it, with a message naming the file and its holder
   * @throws java.io.UncheckedIOException if the file cannot be created or locked
   */
  public static LockFile acquire(Path lockdir, String name) {
    Path path = lockdir.resolve(name + ".lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(lockdir);
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).strip();
        channel.close();
        throw new HeldException("another " + name + " is running on lock directory " + lockdir + " (" + path
            + (holder.isEmpty() ? "" : ", process " + holder) + ")");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      return new LockFile(path, channel, lock);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new java.io.UncheckedIOException("cannot take the lock " + path + ": " + e.getMessage(), e);
    }
  }

  /** The lock file. */
  public Path path() {
    return path;
  }

  /** Deletes the file and releases the lock. */
  @Override
  public void close() {
    try {
      // Deleted while still locked, so no other daemon can lock this file and then see it vanish.
      Files.deleteIfExists(path);
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot release the lock " + path + ": " + e.getMessage(), e);
    }
  }
}
