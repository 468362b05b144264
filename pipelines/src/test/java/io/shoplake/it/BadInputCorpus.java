package io.shoplake.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.ShoplakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Input that breaks the contract or that the contract must survive, one file per case under
 * {@code bad-input/} in the test resources. Most cases are a record sent to Kafka: topic, key and
 * value (text, or hex for bytes that are not text; {@code ${repeat:N:TEXT}} in a text stands for
 * TEXT N times, {@code ${now}} the time of sending as a click's {@code ts}, {@code ${now_ms-S}} that
 * time less S seconds in epoch milliseconds, as a change's {@code ts_ms}), the records that
 * come before it ({@code preceded_by}, e.g. the first copy of an event), the topic settings a
 * shop would need to accept it ({@code topic_config}), and where the record must end up: the stage that quarantines it, the error class
 * and a part of the message. Changes that could be mistaken for valid ones carry a source LSN
 * newer than any the scenario makes: applied or served by mistake, such a change would stay in
 * gold or Redis, and the checks after the shared run ({@link EndToEndIT}: gold = PostgreSQL,
 * Redis = gold) would fail. The others are statements the shop's database runs ({@code
 * source_sql}): valid changes with awkward values, which must be served as PostgreSQL holds them
 * ({@code expect.served_product}: that product's availability hash in Redis, total included).
 */
final class BadInputCorpus {
  // Room for the largest case; the topic's own limit is the case's to raise.
  private static final int MAX_REQUEST_BYTES = 16 << 20;
  private static final DateTimeFormatter NOW = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Pattern REPEAT = Pattern.compile("\\$\\{repeat:(\\d+):([^}]*)}");
  private static final Pattern NOW_MS = Pattern.compile("\\$\\{now_ms-(\\d+)}");

  /** Where a case's record must land. */
  record Expected(String stage, String errorClass, String message) {}

  /** A record for Kafka ({@code topic} and {@code expected} set) or statements for the shop's database. */
  /** A Kafka record's key and value. */
  record Record(byte[] key, byte[] value) {}

  record Case(String name, String about, String topic, byte[] key, byte[] value, List<Record> precededBy,
      Map<String, String> topicConfig, Expected expected, List<String> sourceSql, Long servedProduct) {
    boolean fromSource() {
      return !sourceSql.isEmpty();
    }
  }

  /** A case as sent, with where Kafka put it. */
  record Sent(Case badInput, RecordMetadata at) {}

  private BadInputCorpus() {}

  static List<Case> cases() {
    try (Stream<Path> files = Files.list(Path.of(BadInputCorpus.class.getResource("/bad-input").toURI()))) {
      List<Case> cases = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        cases.add(read(file));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Case read(Path file) throws IOException {
    JsonNode c = new ObjectMapper().readTree(file.toFile());
    String name = file.getFileName().toString().replaceFirst("\\.json$", "");
    JsonNode expect = c.required("expect");
    String about = c.required("about").asText();
    if (c.has("source_sql")) {
      List<String> sql = new ArrayList<>();
      c.get("source_sql").forEach(statement -> sql.add(statement.asText()));
      return new Case(name, about, null, null, null, List.of(), Map.of(), null, sql,
          expect.required("served_product").asLong());
    }
    Map<String, String> topicConfig = new TreeMap<>();
    c.path("topic_config").fields().forEachRemaining(e -> topicConfig.put(e.getKey(), e.getValue().asText()));
    List<Record> precededBy = new ArrayList<>();
    c.path("preceded_by").forEach(r -> precededBy.add(new Record(bytes(r, "key"), bytes(r, "value"))));
    return new Case(name, about, c.required("topic").asText(), bytes(c, "key"), bytes(c, "value"), precededBy, topicConfig,
        new Expected(expect.required("stage").asText(), expect.required("error_class").asText(),
            expect.required("message").asText()), List.of(), null);
  }

  /** The field as UTF-8 text, or from its {@code _hex} twin; null when neither is there. */
  private static byte[] bytes(JsonNode c, String field) {
    if (c.hasNonNull(field + "_hex")) return HexFormat.of().parseHex(c.get(field + "_hex").asText());
    if (!c.hasNonNull(field)) return null;
    Matcher m = REPEAT.matcher(c.get(field).asText());
    StringBuilder text = new StringBuilder();
    while (m.find()) m.appendReplacement(text, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
    m.appendTail(text);
    Instant now = Instant.now();
    Matcher ms = NOW_MS.matcher(text.toString().replace("${now}", NOW.format(now)));
    StringBuilder timed = new StringBuilder();
    while (ms.find()) ms.appendReplacement(timed, String.valueOf(now.minusSeconds(Long.parseLong(ms.group(1))).toEpochMilli()));
    ms.appendTail(timed);
    return timed.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Sends every Kafka case, in file order, and returns where each landed; runs the statements of
   * the others on the shop's database.
   */
  static List<Sent> send(ShoplakeConfig config) throws Exception {
    // Read once: a case's ${now} and 10 MB values are made as it is read.
    List<Case> cases = cases();
    try (Connection db = PostgresSettings.from(config).connect(); Statement statement = db.createStatement()) {
      for (Case c : cases) {
        for (String sql : c.sourceSql()) statement.executeUpdate(sql);
      }
    }
    KafkaConnection kafka = KafkaSettings.connection(config);
    try (Admin admin = kafka.admin(Map.of())) {
      for (Case c : cases) {
        if (c.topicConfig().isEmpty()) continue;
        List<AlterConfigOp> ops = c.topicConfig().entrySet().stream()
            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList();
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, c.topic()), ops)).all().get();
      }
    }
    Properties props = new Properties();
    props.putAll(kafka.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
    List<Sent> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Case c : cases) {
        if (c.fromSource()) continue;
        for (Record r : c.precededBy()) producer.send(new ProducerRecord<>(c.topic(), r.key(), r.value())).get();
        sent.add(new Sent(c, producer.send(new ProducerRecord<>(c.topic(), c.key(), c.value())).get()));
      }
    }
    return sent;
  }
}
