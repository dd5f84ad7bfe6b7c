package io.janus.cli;

import io.janus.server.datastore.Crypter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code generate-datastore-key}: prints a fresh datastore encryption key; needs no configuration or database. */
@Command(name = "generate-datastore-key", mixinStandardHelpOptions = true,
    description = {"Print a new random datastore key (16 bytes, unpadded base64url).",
        "Put it first in DATASTORE_KEYS to encrypt with it; keep older keys after it while data needs them."})
final class GenerateDatastoreKeyCommand implements Callable<Integer> {
  private final CliContext context;

  GenerateDatastoreKeyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    context.out().println(Crypter.generateKey(context.random()));
    context.out().flush();
    return 0;
  }
}
