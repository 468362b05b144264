package io.shoplake.core;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Tables written by another module (found with {@link ServiceLoader} through
 * {@code META-INF/services/io.shoplake.core.TableProvider}), so that what serves or maintains
 * every table — the SQL endpoint, OPTIMIZE/VACUUM — sees them too, without the pipelines
 * depending on that module.
 */
public interface TableProvider {
  List<TableDefinition> tables();

  /** Every provided table on the classpath. */
  static List<TableDefinition> all() {
    return ServiceLoader.load(TableProvider.class).stream().flatMap(p -> p.get().tables().stream()).toList();
  }
}
