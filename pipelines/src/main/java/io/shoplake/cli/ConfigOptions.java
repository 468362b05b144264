package io.shoplake.cli;

import io.shoplake.core.ShoplakeConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that loads configuration shares. */
public final class ConfigOptions {
  @Option(names = "--env", defaultValue = "local",
      description = "Environment overlay: local, s3 or cluster (default: ${DEFAULT-VALUE}).")
  String env;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "Override a config key; repeatable; wins over files and environment.")
  Map<String, String> overrides = new LinkedHashMap<>();

  public ShoplakeConfig load() {
    return ShoplakeConfig.load(env, overrides);
  }

  /** For commands that hand the options on to a child JVM or another config load. */
  public String env() {
    return env;
  }

  public Map<String, String> overrides() {
    return overrides;
  }
}
