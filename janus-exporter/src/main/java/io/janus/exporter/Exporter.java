package io.janus.exporter;

import io.janus.client.DapClientException;
import io.janus.client.DapHttpException;
import io.janus.collector.CollectionJob;
import io.janus.collector.Collector;
import io.janus.collector.PollResult;
import io.janus.fleet.ConfigException;
import io.janus.fleet.DaemonTimer;
import io.janus.fleet.LockFile;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.Interval;
import io.janus.messages.Query;
import io.janus.messages.Time;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The exporting daemon: for each configured task it collects every batch window of the task's cadence once the
 * window has ended and the task's delay has passed (starting with the window that holds the start-up time),
 * polls the collection jobs every {@code poll-interval}, and publishes each result to the Kafka topic
 * {@code <cluster>.<data-type>} ({@link ResultJson}). A collection the Leader refuses is logged and skipped; one that
 * stays unready for ten windows (at least an hour) is abandoned and deleted; a result Kafka does not take is kept
 * (at most {@value #MAX_UNPUBLISHED}) and offered again at each poll.
 *
 * <p>A second thread reads the control topic {@code <cluster>.control.<role>} from its end: key {@code exit} stops
 * the daemon, {@code dump} with value {@code true} or {@code false} turns printing each published record on or off,
 * and anything else is logged and ignored.
 *
 * <p>{@link #run()} returns after {@link #stop()} (or {@code exit}). {@link #stop()} is safe from any thread.
 */
public final class Exporter {
  /** The most collected results kept while Kafka does not take them. */
  static final int MAX_UNPUBLISHED = 1000;
  /** The most collection jobs running at once; windows due beyond it wait. */
  static final int MAX_IN_FLIGHT = 1000;

  private static final String NAME = "janus-exporter";

  private record Running(ExporterConfig.CollectedTask task, CollectionJob job, Interval window, long startedMillis,
      boolean created) {}

  private record Unpublished(String topic, String key, String value) {}

  private final ExporterConfig config;
  private final DaemonTimer timer;
  private final PrintStream log;
  private final PrintStream dump;
  private final Map<ExporterConfig.CollectedTask, Collector> collectors = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch controlReady = new CountDownLatch(1);
  private final AtomicBoolean dumping;
  private final AtomicLong published = new AtomicLong();
  private final ReentrantLock controlLock = new ReentrantLock();
  private final Condition controlSeen = controlLock.newCondition();
  private long controlMessages;
  private volatile KafkaConsumer<String, String> consumer;

  private Exporter(ExporterConfig config, DaemonTimer timer, PrintStream log, PrintStream dump) {
    this.config = config;
    this.timer = timer;
    this.log = log;
    this.dump = dump;
    this.dumping = new AtomicBoolean(config.debug().dump());
    for (ExporterConfig.CollectedTask t : config.tasks()) {
      collectors.put(t, Collector.builder(t.id(), config.dap().leader(), config.dap().token(),
          config.dap().keypair(), t.vdaf()).build());
    }
  }

  /**
   * An exporter for {@code configFile}, read now.
   *
   * @param timer the daemon's time ({@link DaemonTimer#system()} in production)
   * @param log where the daemon says what it does and what failed
   * @param dump where published records are printed while dumping is on
   * @throws ConfigException if the file is not a valid configuration
   */
  public static Exporter create(Path configFile, DaemonTimer timer, PrintStream log, PrintStream dump) {
    return new Exporter(ExporterConfig.read(configFile), timer, log, dump);
  }

  /** The configuration. */
  public ExporterConfig config() {
    return config;
  }

  /** The control topic: {@code <cluster>.control.<role>}. */
  public String controlTopic() {
    return config.global().cluster() + ".control." + config.global().role();
  }

  /** The topic a data type's results go to: {@code <cluster>.<data-type>}. */
  public String topic(ExporterConfig.CollectedTask task) {
    return config.global().cluster() + "." + task.layout().dataType();
  }

  /** Whether published records are printed. */
  public boolean dumping() {
    return dumping.get();
  }

  /** Results published so far. */
  public long published() {
    return published.get();
  }

  /** Asks {@link #run()} to return after the operation in progress. */
  public void stop() {
    if (stopRequested.compareAndSet(false, true)) {
      stopped.countDown();
      timer.wake();
      KafkaConsumer<String, String> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }
  }

  /** Waits until the control topic is being read from its end; false if {@code timeout} passed first. */
  public boolean awaitControlReady(Duration timeout) throws InterruptedException {
    return controlReady.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until {@code count} control messages were handled; false if {@code timeout} passed first. */
  public boolean awaitControlMessages(long count, Duration timeout) throws InterruptedException {
    controlLock.lock();
    try {
      long left = timeout.toNanos();
      while (controlMessages < count) {
        if (left <= 0) {
          return false;
        }
        left = controlSeen.awaitNanos(left);
      }
      return true;
    } finally {
      controlLock.unlock();
    }
  }

  /**
   * Runs until {@link #stop()} or an {@code exit} control message.
   *
   * @throws LockFile.HeldException if another exporter holds the lock directory
   */
  public void run() throws InterruptedException {
    Optional<LockFile> lock = config.global().lockdir().map(dir -> LockFile.acquire(dir, NAME));
    Thread control = null;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        KafkaSettings.producer(config.kafka(), config.global().cluster()))) {
      if (!config.unsupported().isEmpty()) {
        say("not supported here, ignored: " + String.join(", ",
            config.unsupported().stream().map(n -> "[" + n + "]").toList()));
      }
      control = Thread.ofPlatform().name(NAME + "-control").start(this::readControl);
      say("started: cluster " + config.global().cluster() + ", control topic " + controlTopic() + ", collecting "
          + String.join(", ", config.tasks().stream().map(t -> t.layout().dataType() + " every " + t.cadence())
          .toList()) + " from " + config.dap().leader());
      loop(producer);
      say("stopped");
    } finally {
      stop();
      if (control != null) {
        control.join();
      }
      lock.ifPresent(LockFile::close);
    }
  }

  private void loop(KafkaProducer<String, String> producer) throws InterruptedException {
    long start = timer.nowMillis();
    Map<ExporterConfig.CollectedTask, Long> nextWindow = new HashMap<>();
    for (ExporterConfig.CollectedTask t : config.tasks()) {
      nextWindow.put(t, t.cadence().floor(start));
    }
    List<Running> running = new ArrayList<>();
    ArrayDeque<Unpublished> unpublished = new ArrayDeque<>();
    long nextPoll = Long.MAX_VALUE;
    while (!stopRequested.get()) {
      long deadline = nextPoll;
      // With every slot taken, a due window waits for the next poll to free one rather than spinning.
      if (running.size() < MAX_IN_FLIGHT) {
        for (ExporterConfig.CollectedTask t : config.tasks()) {
          deadline = Math.min(deadline, due(t, nextWindow.get(t)));
        }
      }
      if (!timer.awaitUntil(deadline)) {
        continue;
      }
      long now = timer.nowMillis();
      boolean started = false;
      for (ExporterConfig.CollectedTask t : config.tasks()) {
        while (due(t, nextWindow.get(t)) <= now && running.size() < MAX_IN_FLIGHT) {
          long windowStart = nextWindow.get(t);
          running.add(create(t, windowStart, now));
          nextWindow.put(t, windowStart + t.cadence().millis());
          started = true;
        }
      }
      if (started || now >= nextPoll) {
        poll(running, unpublished, producer, now);
        nextPoll = running.isEmpty() && unpublished.isEmpty() ? Long.MAX_VALUE
            : now + config.kafka().pollInterval().toMillis();
      }
    }
  }

  private static long due(ExporterConfig.CollectedTask t, long windowStart) {
    return windowStart + t.cadence().millis() + t.delay().toMillis();
  }

  private Running create(ExporterConfig.CollectedTask t, long windowStart, long now) {
    Interval window = new Interval(new Time(windowStart / 1000), DapDuration.ofSeconds(t.cadence().millis() / 1000));
    CollectionJob job = new CollectionJob(CollectionJobId.random(random), new Query.TimeInterval(window),
        new byte[0]);
    return new Running(t, job, window, now, false);
  }

  private void poll(List<Running> running, ArrayDeque<Unpublished> unpublished,
      KafkaProducer<String, String> producer, long now) {
    for (int i = 0; i < running.size() && !stopRequested.get(); i++) {
      Running r = running.get(i);
      Collector collector = collectors.get(r.task());
      String what = r.task().layout().dataType() + " batch " + describe(r.window());
      try {
        if (!r.created()) {
          // Creation is idempotent on the Leader, so a creation whose answer was lost is simply sent again.
          collector.startCollection(r.job());
          r = new Running(r.task(), r.job(), r.window(), r.startedMillis(), true);
          running.set(i, r);
          verbose("collecting " + what);
        }
        PollResult result = collector.poll(r.job());
        if (result instanceof PollResult.Ready ready) {
          running.remove(i--);
          String topic = topic(r.task());
          Unpublished u = new Unpublished(topic, ResultJson.key(config.global().cluster(), r.task().id()),
              ResultJson.value(config.global().cluster(), r.task().layout(), r.task().id(), r.window(),
                  ready.result()));
          if (unpublished.size() >= MAX_UNPUBLISHED) {
            say("Kafka has not taken " + unpublished.size() + " results: dropping the oldest");
            unpublished.removeFirst();
          }
          unpublished.addLast(u);
        } else if (now - r.startedMillis() > abandonAfter(r.task())) {
          running.remove(i--);
          say("abandoning " + what + ": not ready after " + Duration.ofMillis(now - r.startedMillis()));
          try {
            collector.delete(r.job());
          } catch (DapClientException e) {
            say("cannot delete the abandoned collection job " + r.job().id().toBase64Url() + ": " + e.getMessage());
          }
        }
      } catch (DapHttpException e) {
        if (e.status() >= 500 || e.status() == 429) {
          say("the Leader is unavailable for " + what + " (" + e.getMessage() + "); retrying");
        } else {
          running.remove(i--);
          say("the Leader refused " + what + ", skipped: " + e.getMessage());
        }
      } catch (DapClientException e) {
        say("cannot collect " + what + " now (" + e.getMessage() + "); retrying");
      }
    }
    publish(unpublished, producer);
  }

  private static long abandonAfter(ExporterConfig.CollectedTask t) {
    return Math.max(10 * t.cadence().millis(), Duration.ofHours(1).toMillis());
  }

  private void publish(ArrayDeque<Unpublished> unpublished, KafkaProducer<String, String> producer) {
    for (Iterator<Unpublished> it = unpublished.iterator(); it.hasNext() && !stopRequested.get(); ) {
      Unpublished u = it.next();
      try {
        producer.send(new ProducerRecord<>(u.topic(), u.key(), u.value())).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
        say("Kafka did not take a result for " + u.topic() + " (" + e.getMessage() + "); " + unpublished.size()
            + " result(s) wait");
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      it.remove();
      published.incrementAndGet();
      if (dumping.get()) {
        dump.println(NAME + " dump: " + u.topic() + " " + u.key() + " " + u.value());
      }
      verbose("published to " + u.topic() + ": " + u.value());
    }
  }

  /** The control thread: reads {@link #controlTopic()} from its end until the daemon stops. */
  private void readControl() {
    String topic = controlTopic();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
        KafkaSettings.consumer(config.kafka(), config.global().cluster()))) {
      consumer = c;
      if (stopRequested.get()) {
        return;
      }
      boolean told = false;
      while (!stopRequested.get()) {
        List<PartitionInfo> partitions;
        try {
          partitions = c.partitionsFor(topic, Duration.ofSeconds(10));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          // The broker is not reachable yet: keep trying, as the producer does, rather than lose the control topic.
          partitions = List.of();
        }
        if (!partitions.isEmpty()) {
          List<TopicPartition> tps = partitions.stream()
              .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
          c.assign(tps);
          c.seekToEnd(tps);
          // Resolves the end offsets now, so a message sent once this returns is seen.
          tps.forEach(c::position);
          break;
        }
        if (!told) {
          say("control topic " + topic + " is not available yet; waiting for it");
          told = true;
        }
        if (stopped.await(1, TimeUnit.SECONDS)) {
          return;
        }
      }
      controlReady.countDown();
      while (!stopRequested.get()) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofSeconds(1))) {
          control(r.key(), r.value());
        }
      }
    } catch (WakeupException e) {
      // stop() woke the consumer out of a poll: the daemon is stopping.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (org.apache.kafka.common.KafkaException e) {
      say("cannot read the control topic " + topic + ": " + e.getMessage());
    } finally {
      consumer = null;
    }
  }

  /** Handles one control message. */
  void control(String key, String value) {
    String v = value == null ? "" : value.strip();
    switch (key == null ? "" : key.strip()) {
      case "exit" -> {
        say("control: exit");
        stop();
      }
      case "dump" -> {
        if (v.equals("true") || v.equals("false")) {
          dumping.set(Boolean.parseBoolean(v));
          say("control: dump " + v);
        } else {
          say("control: dump wants true or false, got '" + v + "'; ignored");
        }
      }
      default -> say("control: unknown key '" + key + "'; ignored");
    }
    controlLock.lock();
    try {
      controlMessages++;
      controlSeen.signalAll();
    } finally {
      controlLock.unlock();
    }
  }

  private static String describe(Interval w) {
    return "[" + java.time.Instant.ofEpochSecond(w.start().seconds()) + ", +" + w.duration().seconds() + "s)";
  }

  private void verbose(String message) {
    if (config.debug().verbose()) {
      say(message);
    }
  }

  private void say(String message) {
    log.println(NAME + ": " + message);
  }
}
