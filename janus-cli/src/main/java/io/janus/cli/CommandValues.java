package io.janus.cli;

import io.janus.messages.Base64Url;
import io.janus.messages.TaskId;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parses option values whose errors are usage errors (exit status 2), naming the option. */
final class CommandValues {
  private CommandValues() {}

  /** A task ID in unpadded base64url. */
  static TaskId taskId(CommandSpec spec, String option, String text) {
    try {
      return TaskId.fromBase64Url(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  /** Bytes in unpadded base64url. */
  static byte[] base64(CommandSpec spec, String option, String text) {
    try {
      return Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }
}
