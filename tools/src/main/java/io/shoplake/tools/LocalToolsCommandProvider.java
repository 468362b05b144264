package io.shoplake.tools;

import io.shoplake.cli.CommandProvider;
import java.util.List;

/**
 * Registers the local tools with the launcher (META-INF/services): they run on a developer's
 * machine (bin/shoplake), never in the deployable jar.
 */
public final class LocalToolsCommandProvider implements CommandProvider {
  @Override
  public List<Object> commands() {
    return List.of(new DemoCommand(), new DevstackCommand(), new SimulateCommand(), new BenchCommand(), new ChaosCommand());
  }
}
