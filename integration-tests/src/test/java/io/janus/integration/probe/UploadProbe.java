package io.janus.integration.probe;

import io.janus.client.Client;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.net.URI;

/**
 * An application that embeds only the client library: run in its own JVM with the client's runtime class path and
 * nothing else, it uploads Prio3Count reports (measurement 1) and exits 0.
 *
 * <p>Arguments: leader URL, helper URL, task ID (base64url), time precision (s), report time (s), count.
 */
public final class UploadProbe {
  private UploadProbe() {}

  public static void main(String[] args) {
    Client client = Client.builder(TaskId.fromBase64Url(args[2]), URI.create(args[0]), URI.create(args[1]),
        DapDuration.ofSeconds(Long.parseLong(args[3])), new VdafInstance.Prio3Count()).build();
    Time time = new Time(Long.parseLong(args[4]));
    int count = Integer.parseInt(args[5]);
    for (int i = 0; i < count; i++) {
      client.uploadWithTime(new long[] {1}, time);
    }
    System.out.println("uploaded " + count);
  }
}
