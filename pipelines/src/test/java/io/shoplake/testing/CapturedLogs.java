package io.shoplake.testing;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** What reaches the root logger between {@link #attach()} and {@link #detach()}: what a user would read. */
public final class CapturedLogs extends AbstractAppender {
  public final ConcurrentLinkedQueue<LogEvent> events = new ConcurrentLinkedQueue<>();

  private CapturedLogs() {
    super("captured-logs", null, null, true, Property.EMPTY_ARRAY);
  }

  public static CapturedLogs attach() {
    CapturedLogs captured = new CapturedLogs();
    captured.start();
    LoggerContext context = LoggerContext.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(captured, Level.ALL, null);
    context.updateLoggers();
    return captured;
  }

  @Override
  public void append(LogEvent event) {
    events.add(event.toImmutable());
  }

  /** Each event's message, then each of its causes. */
  public List<String> lines() {
    return events.stream().map(event -> {
      StringBuilder line = new StringBuilder(event.getMessage().getFormattedMessage());
      for (Throwable t = event.getThrown(); t != null; t = t.getCause()) line.append(" | ").append(t);
      return line.toString();
    }).toList();
  }

  public void detach() {
    LoggerContext context = LoggerContext.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}
