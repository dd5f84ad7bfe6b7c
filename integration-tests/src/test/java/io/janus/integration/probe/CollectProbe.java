package io.janus.integration.probe;

import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.net.URI;
import java.util.Base64;

/**
 * An application that embeds only the collector library: run in its own JVM with the collector's runtime class
 * path and nothing else, it collects a Prio3Count interval and prints {@code count=N reports=M}.
 *
 * <p>Arguments: leader URL, task ID, DAP-Auth token, collector HPKE config (base64url), private key (base64url),
 * interval start (s), interval duration (s).
 */
public final class CollectProbe {
  private CollectProbe() {}

  public static void main(String[] args) throws Exception {
    Base64.Decoder b64 = Base64.getUrlDecoder();
    HpkeKeypair key = new HpkeKeypair(HpkeConfig.decode(b64.decode(args[3])), b64.decode(args[4]));
    Collector collector = Collector.builder(TaskId.fromBase64Url(args[1]), URI.create(args[0]),
        new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, args[2]), key, new VdafInstance.Prio3Count())
        .build();
    Interval interval = new Interval(new Time(Long.parseLong(args[5])), DapDuration.ofSeconds(Long.parseLong(args[6])));
    CollectionResult r = collector.collect(new Query.TimeInterval(interval));
    System.out.println("count=" + r.aggregateResult()[0] + " reports=" + r.reportCount());
  }
}
