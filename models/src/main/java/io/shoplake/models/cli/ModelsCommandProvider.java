package io.shoplake.models.cli;

import io.shoplake.cli.CommandProvider;

/** Registers {@code shoplake models} with the launcher (META-INF/services). */
public final class ModelsCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new ModelsCommand();
  }
}
