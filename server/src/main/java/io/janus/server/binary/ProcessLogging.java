package io.janus.server.binary;

import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes {@code java.util.logging} (and, through slf4j-jdk14, HikariCP and Flyway) to one stream: human-readable
 * lines on a terminal, one JSON object per line otherwise or when forced.
 *
 * <p>Logs go to standard output, as Janus's do, so that standard error carries only the single line a failed
 * start-up prints.
 */
final class ProcessLogging {
  /** Environment variable with a {@link Level} name (e.g. {@code FINE}) for the root logger; default INFO. */
  static final String LEVEL_ENV = "JANUS_LOG_LEVEL";

  private ProcessLogging() {}

  /**
   * Replaces the root logger's handlers with one writing to {@code out}. Does nothing when the operator supplied
   * a logging configuration file through {@code java.util.logging.config.file}.
   */
  static void install(PrintStream out, Format format, Level level) {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.setLevel(level);
    Formatter formatter = switch (format) {
      case TEXT -> new TextFormatter();
      case JSON -> new JsonFormatter(false);
      case STACKDRIVER_JSON -> new JsonFormatter(true);
    };
    root.addHandler(new StreamHandler(out, formatter, level));
  }

  /** The shape of log lines. */
  enum Format {
    /** Human-readable lines. */
    TEXT,
    /** One JSON object per line: timestamp, level, logger, thread, message, exception. */
    JSON,
    /** One JSON object per line in Google Cloud Logging's shape: time, severity, message, logger, thread. */
    STACKDRIVER_JSON
  }

  /** Parses a level name, as {@link Level#parse} does, for the {@value #LEVEL_ENV} variable. */
  static Level level(String name) {
    try {
      return Level.parse(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(LEVEL_ENV + " is not a log level (SEVERE, WARNING, INFO, FINE, ...): "
          + name);
    }
  }

  /** True if standard output is a terminal. */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    // From JDK 22, System.console() is non-null even when redirected; Console.isTerminal() tells the truth. We
    // compile for 21, so look it up.
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** A handler that writes each formatted record to a stream and flushes, so lines are never held back. */
  private static final class StreamHandler extends Handler {
    private final PrintStream out;

    StreamHandler(PrintStream out, Formatter formatter, Level level) {
      this.out = out;
      setFormatter(formatter);
      setLevel(level);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      // PrintStream serializes whole print calls, so concurrent records never interleave within a line.
      out.print(getFormatter().format(record));
      out.flush();
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }

  /** {@code 2026-01-01T00:00:00.123Z INFO    logger: message}, then the stack trace if any. */
  static final class TextFormatter extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(128);
      sb.append(r.getInstant()).append(' ').append(String.format("%-7s", r.getLevel().getName())).append(' ')
          .append(shortName(r.getLoggerName())).append(": ").append(formatMessage(r)).append('\n');
      if (r.getThrown() != null) {
        sb.append(stackTrace(r.getThrown()));
      }
      return sb.toString();
    }
  }

  /**
   * One JSON object per line. The default shape has {@code timestamp}, {@code level}, {@code logger},
   * {@code thread}, {@code message} and, if any, {@code exception}; the Cloud Logging shape names the first two
   * {@code time} and {@code severity} (with that service's level names) and appends the stack trace to the
   * message, where Error Reporting looks for it.
   */
  static final class JsonFormatter extends Formatter {
    private final boolean stackdriver;

    JsonFormatter(boolean stackdriver) {
      this.stackdriver = stackdriver;
    }

    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(192);
      sb.append(stackdriver ? "{\"time\":" : "{\"timestamp\":");
      quote(sb, r.getInstant().toString());
      sb.append(stackdriver ? ",\"severity\":" : ",\"level\":");
      quote(sb, stackdriver ? severity(r.getLevel()) : r.getLevel().getName());
      sb.append(",\"logger\":");
      quote(sb, r.getLoggerName() == null ? "" : r.getLoggerName());
      sb.append(",\"thread\":").append(r.getLongThreadID());
      sb.append(",\"message\":");
      String message = formatMessage(r);
      if (stackdriver && r.getThrown() != null) {
        quote(sb, message + "\n" + stackTrace(r.getThrown()));
      } else {
        quote(sb, message);
        if (r.getThrown() != null) {
          sb.append(",\"exception\":");
          quote(sb, stackTrace(r.getThrown()));
        }
      }
      return sb.append("}\n").toString();
    }

    /** Cloud Logging's LogSeverity name for a JUL level. */
    static String severity(Level level) {
      int v = level.intValue();
      if (v >= Level.SEVERE.intValue()) {
        return "ERROR";
      }
      if (v >= Level.WARNING.intValue()) {
        return "WARNING";
      }
      if (v >= Level.CONFIG.intValue()) {
        return "INFO";
      }
      return "DEBUG";
    }

    static void quote(StringBuilder sb, String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }

  private static String shortName(String logger) {
    if (logger == null) {
      return "";
    }
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
