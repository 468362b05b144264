package io.shoplake.sql;

import io.shoplake.Pipeline;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;

/**
 * The analysts' endpoint: a Spark Connect server whose sessions see the tables of the registry by
 * name ({@code SELECT * FROM gold.inventory_availability}) on the warehouse of the chosen
 * environment, read-only unless asked otherwise. Analysts get every table but the restricted ones
 * ({@link AnalystCatalog}) and read nothing else ({@link RestrictedDataExtension}); engineers get
 * them all.
 *
 * <p>Connect sessions are children of one root session and share its catalog, so tables
 * registered here once are visible to every client; time travel works as on any Delta table.
 */
public final class SqlServer {
  public record Options(String host, int port, boolean readWrite, boolean engineers) {
    /** Raw personal data is served to engineers, and to whoever may write: a view could expose it. */
    boolean servesRestricted() {
      return engineers || readWrite;
    }
  }

  private SqlServer() {}

  /** Starts the server and returns the names it registered; stop with {@link #stop()}. */
  public static List<String> start(ShoplakeConfig config, Options options, PrintWriter out) throws IOException {
    SqlServerSettings settings = SqlServerSettings.from(config);
    settings.checkAdmits(options.host());
    // With TLS, Spark's own plaintext server only stands in on a loopback port until replaced.
    ShoplakeConfig serverConfig = config
        .with(sparkConf("spark.connect.grpc.binding.address"), settings.tls() ? "127.0.0.1" : options.host())
        .with(sparkConf("spark.connect.grpc.binding.port"), settings.tls() ? "0" : String.valueOf(options.port()))
        // Clients may add jars and UDF classes: each Connect session keeps its own.
        .with(sparkConf("spark.sql.artifact.isolation.enabled"), "true")
        // ${env:...} and ${spark...} in SQL text would read the server's secrets back.
        .with(sparkConf("spark.sql.variable.substitute"), "false")
        .with(sparkConf("spark.connect.grpc.interceptor.classes"), ConfigRpcGuard.class.getName()
            + (options.readWrite() ? "" : "," + ReadOnlyRequests.class.getName()))
        // Spark wants all extensions in one static setting, Delta's first.
        .with(sparkConf("spark.sql.extensions"), "io.delta.sql.DeltaSparkSessionExtension,"
            + ConfigGuardExtension.class.getName() + (options.readWrite() ? "" : "," + ReadOnlyExtension.class.getName())
            + (options.servesRestricted() ? "" : "," + RestrictedDataExtension.class.getName()));
    if (settings.token().isPresent()) {
      serverConfig = serverConfig.with(sparkConf("spark.connect.authenticate.token"), settings.token().get());
    }
    SparkSession spark = SparkSessionFactory.create(serverConfig);
    Tables tables = Tables.from(serverConfig);
    List<TableDefinition> present = new ArrayList<>();
    for (TableDefinition def : Pipeline.allTables(serverConfig)) {
      // A table that no job has written yet has no schema to register; it appears after a
      // restart once its job ran. Listed, so an analyst knows why a name is missing.
      if (TableAccess.of(spark, tables).exists(def.id())) present.add(def);
      else out.println("not yet written, not registered: " + def.id());
    }
    // Registering is a write to the (session-shared, in-memory) catalog: done before the
    // rules could see a client, by the server itself. The rules only guard plans that reach the
    // analyser, and CREATE TABLE ... LOCATION is such a plan: lift them briefly.
    List<TableDefinition> byName;
    if (options.servesRestricted()) {
      ReadOnlyExtension.bypass(() -> TableBootstrap.register(spark, tables, present));
      byName = present;
    } else {
      AnalystCatalog analysts = new AnalystCatalog(Pipeline.cdcSpecs(config).stream().filter(spec -> !spec.isPersonal())
          .map(CdcTableSpec::silverTable).toList());
      RestrictedDataExtension.serve(analysts.register(spark, tables, present));
      byName = AnalystCatalog.servedByName(present);
      List<String> restricted = present.stream().filter(d -> !byName.contains(d)).map(d -> d.id().toString()).toList();
      if (!restricted.isEmpty()) {
        out.println("restricted, served only with --engineers: " + String.join(", ", restricted)
            + (restricted.contains(Tables.QUARANTINE.toString()) ? " (" + Tables.QUARANTINE + " as a view without record contents)" : ""));
      }
    }
    SparkConnectService.start(spark.sparkContext());
    if (settings.tls()) TlsEndpoint.replaceSparks(options.host(), options.port(), settings);
    List<String> names = byName.stream().map(d -> d.id().toString()).toList();
    out.println("registered " + names.size() + " tables: " + String.join(", ", names));
    out.println("SQL SERVER READY " + settings.clientUrl(options.host(), options.port())
        + (options.readWrite() ? " (read-write" : " (read-only") + (options.servesRestricted() ? ", engineers" : ", analysts")
        + (settings.token().isPresent() ? ", token)" : ")"));
    out.flush();
    return names;
  }

  private static String sparkConf(String key) {
    return "shoplake.spark.conf.\"" + key + "\"";
  }

  /** Stops serving; open client streams get a few seconds, not an unbounded wait. */
  public static void stop() {
    SparkConnectService.stop(scala.Option.apply((Object) 5L), scala.Option.apply(java.util.concurrent.TimeUnit.SECONDS));
  }
}
