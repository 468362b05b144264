package io.shoplake.cli;

import io.shoplake.Pipeline;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.query.AsOfQuery;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Questions about the tables.",
        "  as-of  the rows of a silver table as they were at a time: from its SCD2 history",
        "         (silver.<table>_history) when it keeps one, else by Delta time travel (said in the output)."})
final class QueryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "QUERY", description = "as-of")
  String query;

  @Option(names = "--table", required = true, description = "A silver table, e.g. silver.inventory.")
  String table;

  @Option(names = "--at", required = true,
      description = "The time: ISO instant (2026-11-25T14:00:00Z) or local date-time read as UTC (2026-11-25T14:00).")
  String at;

  @Option(names = "--key", paramLabel = "COLUMN=VALUE", description = "Only rows with this key value; repeatable.")
  Map<String, String> keys = new LinkedHashMap<>();

  @Option(names = "--limit", defaultValue = "100", description = "Rows to print (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!query.equals("as-of")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Unknown query '" + query + "'; known: as-of");
    }
    ShoplakeConfig config = configOptions.load();
    TableId id = TableId.parse(table);
    CdcTableSpec tableSpec = Pipeline.cdcSpecs(config).stream().filter(s -> s.silverTable().equals(id)).findFirst()
        .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "--table " + table
            + ": not a silver table applied from CDC; known: "
            + Pipeline.cdcSpecs(config).stream().map(s -> s.silverTable().toString()).toList()));
    Instant instant = parseTime(at);
    SparkSession spark = SparkSessionFactory.create(config);
    AsOfQuery.Answer answer = AsOfQuery.run(spark, Tables.from(config), tableSpec, instant, keys);
    PrintWriter out = spec.commandLine().getOut();
    out.println(table + " as of " + instant + ", from " + answer.source());
    out.println(String.join("\t", answer.rows().columns()));
    long shown = 0;
    for (Row r : answer.rows().limit(limit + 1).collectAsList()) {
      if (shown++ == limit) {
        out.println("... (more rows; raise --limit)");
        break;
      }
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) line.append(i == 0 ? "" : "\t").append(r.isNullAt(i) ? "NULL" : r.get(i));
      out.println(line);
    }
    out.flush();
    return 0;
  }

  private Instant parseTime(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--at '" + text
            + "': expected an ISO instant (2026-11-25T14:00:00Z) or date-time (2026-11-25T14:00)");
      }
    }
  }
}
