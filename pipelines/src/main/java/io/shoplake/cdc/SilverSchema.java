package io.shoplake.cdc;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Sql;
import io.shoplake.core.TableAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The columns a silver table has now: those configured, plus those the source gained since
 * (schema evolution: a new nullable column in PostgreSQL becomes a nullable silver column,
 * without a restart; in a personal table, as a pseudonymised text column, see {@link
 * CdcTableSpec#withColumns}). A configured column whose silver type differs is refused at start:
 * Delta cannot change it in place, and guessing would corrupt values.
 */
public final class SilverSchema {
  private static final Logger LOG = LoggerFactory.getLogger(SilverSchema.class);
  private static final Set<String> BOOKKEEPING = Set.of(CdcColumns.IS_DELETED, CdcColumns.LSN, CdcColumns.SOURCE_TS,
      CdcColumns.APPLIED_AT);
  private final CdcTableSpec configured;
  private volatile CdcTableSpec current;

  SilverSchema(CdcTableSpec configured) {
    this.configured = configured;
  }

  /** The spec with the columns the silver table has now (configured plus evolved). */
  public static CdcTableSpec of(TableAccess access, CdcTableSpec configured) {
    return new SilverSchema(configured).current(access);
  }

  CdcTableSpec current(TableAccess access) {
    if (current == null) current = read(access);
    return current;
  }

  private CdcTableSpec read(TableAccess access) {
    List<CdcTableSpec.Column> added = new ArrayList<>();
    for (StructField f : access.read(configured.silverTable()).schema().fields()) {
      if (BOOKKEEPING.contains(f.name())) continue;
      var declared = configured.columns().stream().filter(c -> c.name().equals(f.name())).findFirst();
      if (declared.isEmpty()) {
        added.add(new CdcTableSpec.Column(f.name(), f.dataType()));
      } else if (!declared.get().type().equals(f.dataType())) {
        throw new IllegalStateException(configured.silverTable() + "." + f.name() + " is " + f.dataType().simpleString()
            + " in silver but " + declared.get().type().simpleString() + " in shoplake.cdc.tables." + configured.table()
            + ".columns; declare the silver type, or migrate the table");
      }
    }
    return configured.withColumns(added);
  }

  /** Adds source fields as nullable columns. */
  CdcTableSpec add(TableAccess access, List<CdcTableSpec.Column> newColumns) {
    List<CdcTableSpec.Column> added = new ArrayList<>();
    for (CdcTableSpec.Column column : newColumns) {
      if (current.columns().stream().anyMatch(c -> c.name().equals(column.name()))
          || added.stream().anyMatch(c -> c.name().equals(column.name()))) {
        continue;
      }
      added.add(new CdcTableSpec.Column(column.name(), current.gainedType(column.type())));
    }
    if (added.isEmpty()) return current;
    String ddl = String.join(", ", added.stream().map(c -> Sql.quote(c.name()) + " " + c.type().sql()).toList());
    access.addColumns(configured.silverTable(), ddl);
    LOG.info("{}: the source gained {}; added to silver as nullable columns", configured.silverTable(), ddl);
    current = current.withColumns(added);
    return current;
  }
}
