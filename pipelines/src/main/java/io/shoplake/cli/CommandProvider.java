package io.shoplake.cli;

/**
 * A subcommand contributed by another module (found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.shoplake.cli.CommandProvider}), so modules that depend on the
 * pipelines can extend the one launcher without the pipelines depending on them.
 */
public interface CommandProvider {
  /** Picocli command objects (annotated with {@code @Command}); new instances per call. */
  java.util.List<Object> commands();
}
