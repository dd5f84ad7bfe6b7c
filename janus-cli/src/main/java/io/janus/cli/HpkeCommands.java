package io.janus.cli;

import io.janus.server.binary.CommonOptions;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.messages.Base64Url;
import io.janus.messages.HpkeAlgorithms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.nodes.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hpke}: the HPKE key commands. Global keys live in the {@code hpke_keys} table and move through the
 * states PENDING (stored, not yet advertised), ACTIVE (advertised to clients) and EXPIRED (no longer advertised,
 * still used to decrypt).
 */
@Command(name = "hpke", mixinStandardHelpOptions = true,
    description = "Generate HPKE keypairs and manage the aggregator's global HPKE keys.")
final class HpkeCommands implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  /** The KEMs a key can be generated for. */
  enum Kem {
    X25519(HpkeAlgorithms.KEM_X25519_HKDF_SHA256),
    P256(HpkeAlgorithms.KEM_P256_HKDF_SHA256);

    final int id;

    Kem(int id) {
      this.id = id;
    }
  }

  /** The AEADs a key can be generated for. */
  enum Aead {
    AES128GCM(HpkeAlgorithms.AEAD_AES_128_GCM),
    AES256GCM(Hpke.AEAD_AES_256_GCM),
    CHACHA20POLY1305(HpkeAlgorithms.AEAD_CHACHA20_POLY1305);

    final int id;

    Aead(int id) {
      this.id = id;
    }
  }

  /** The options naming a new key: its config ID and suite. */
  static final class KeyOptions {
    @Option(names = "--id", required = true, paramLabel = "N", description = "HPKE config ID, 0 to 255")
    int id;

    @Option(names = "--kem", paramLabel = "KEM", defaultValue = "x25519",
        description = "Key encapsulation mechanism: x25519 or p256 (default: ${DEFAULT-VALUE})")
    Kem kem;

    @Option(names = "--aead", paramLabel = "AEAD", defaultValue = "aes128gcm",
        description = "AEAD: aes128gcm, aes256gcm or chacha20poly1305 (default: ${DEFAULT-VALUE}); the KDF is "
            + "always HKDF-SHA256")
    Aead aead;

    /** A fresh keypair for these options. */
    HpkeKeypair generate(CommandSpec spec) {
      return Hpke.generate(checkConfigId(spec, id), kem.id, HpkeAlgorithms.KDF_HKDF_SHA256, aead.id);
    }
  }

  /** {@code hpke generate-keypair}: prints a new keypair; touches no database. */
  @Command(name = "generate-keypair", mixinStandardHelpOptions = true,
      description = {"Print a new HPKE keypair as YAML, in the form of a tasks file's hpke_keys entry.",
          "A comment line gives the DAP-encoded HpkeConfig in base64url, as a collector needs it."})
  static final class GenerateKeypair implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    KeyOptions key = new KeyOptions();

    GenerateKeypair(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      HpkeKeypair keypair = key.generate(spec);
      context.out().println("# HpkeConfig (DAP encoding, base64url): " + Base64Url.encode(keypair.config().toBytes()));
      context.out().print(YamlTree.dump(TaskFileWriter.hpkeKeypair(keypair)));
      context.out().flush();
      return 0;
    }
  }

  /** {@code hpke add}: generates a global key and stores it. */
  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Generate a global HPKE key and store it (state pending unless --state says otherwise).",
          "Prints the public configuration; the private key never leaves the datastore."})
  static final class Add implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    KeyOptions key = new KeyOptions();

    @Option(names = "--state", paramLabel = "STATE", defaultValue = "pending",
        description = "Initial state: pending, active or expired (default: ${DEFAULT-VALUE})")
    HpkeKeyState state;

    @Mixin
    CommonOptions common = new CommonOptions();

    Add(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      HpkeKeypair keypair = key.generate(spec);
      int id = keypair.config().id();
      try (DatastoreConnection connection = DatastoreConnection.open(common, context)) {
        connection.datastore().run("janus_cli.hpke_add", tx -> {
          if (!tx.hpkeKeys().put(keypair)) {
            throw new CliException("a global HPKE key with config id " + id + " already exists");
          }
          return state == HpkeKeyState.PENDING || tx.hpkeKeys().setState(id, state);
        });
      }
      context.out().print(YamlTree.dump(YamlTree.map()
          .put("config", TaskFileWriter.hpkeConfig(keypair.config()))
          .put("state", state.dbText())
          .build()));
      context.out().flush();
      return 0;
    }
  }

  /** {@code hpke set-state}: moves a global key to another state. */
  @Command(name = "set-state", mixinStandardHelpOptions = true,
      description = "Set the state of a stored global HPKE key.")
  static final class SetState implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--id", required = true, paramLabel = "N", description = "HPKE config ID of the key")
    int id;

    @Option(names = "--state", required = true, paramLabel = "STATE",
        description = "New state: pending, active or expired")
    HpkeKeyState state;

    @Mixin
    CommonOptions common = new CommonOptions();

    SetState(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      int configId = checkConfigId(spec, id);
      try (DatastoreConnection connection = DatastoreConnection.open(common, context)) {
        boolean found = connection.datastore().run("janus_cli.hpke_set_state",
            tx -> tx.hpkeKeys().setState(configId, state));
        if (!found) {
          throw new CliException("no global HPKE key with config id " + configId);
        }
      }
      context.err().println("HPKE key " + configId + " is now " + state.dbText());
      return 0;
    }
  }

  /** {@code hpke list}: prints the stored global keys without their private keys. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Print the stored global HPKE keys (public parts and states) as YAML.")
  static final class ListKeys implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    CommonOptions common = new CommonOptions();

    ListKeys(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      List<GlobalHpkeKeypair> keys;
      try (DatastoreConnection connection = DatastoreConnection.open(common, context)) {
        keys = connection.datastore().run("janus_cli.hpke_list", tx -> tx.hpkeKeys().getAll());
      }
      List<Node> items = new ArrayList<>();
      for (GlobalHpkeKeypair k : keys) {
        items.add(YamlTree.map()
            .put("config", TaskFileWriter.hpkeConfig(k.keypair().config()))
            .put("state", k.state().dbText())
            .put("last_state_change_at", k.lastStateChangeAt().seconds())
            .build());
      }
      context.out().print(YamlTree.dump(YamlTree.seq(items)));
      context.out().flush();
      return 0;
    }
  }

  /** Checks that an HPKE config ID fits its u8 field; a usage error otherwise. */
  static int checkConfigId(CommandSpec spec, int id) {
    if (id < 0 || id > 255) {
      throw new ParameterException(spec.commandLine(), "--id must be between 0 and 255, got " + id);
    }
    return id;
  }
}
