package io.shoplake.models.cli;

import io.shoplake.cli.CommandProvider;
import java.util.List;

/** Registers {@code shoplake models} with the launcher (META-INF/services). */
public final class ModelsCommandProvider implements CommandProvider {
  @Override
  public List<Object> commands() {
    return List.of(new ModelsCommand());
  }
}
