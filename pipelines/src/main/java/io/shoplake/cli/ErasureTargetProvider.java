package io.shoplake.cli;

import io.shoplake.core.ErasureTarget;
import io.shoplake.core.ShoplakeConfig;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@link ErasureTarget}s of a module, built from its settings (found with {@link ServiceLoader}
 * through {@code META-INF/services/io.shoplake.cli.ErasureTargetProvider}).
 */
public interface ErasureTargetProvider {
  List<ErasureTarget> erasureTargets(ShoplakeConfig config);

  static List<ErasureTarget> all(ShoplakeConfig config) {
    return ServiceLoader.load(ErasureTargetProvider.class).stream()
        .flatMap(p -> p.get().erasureTargets(config).stream()).toList();
  }
}
