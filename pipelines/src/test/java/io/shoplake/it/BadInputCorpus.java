package io.shoplake.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.ShoplakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records that break the contract, one file per case under {@code bad-input/} in the test
 * resources: topic, key and value (text, or hex for bytes that are not text; {@code
 * ${repeat:N:TEXT}} in a text stands for TEXT N times), and where the record must end up: the
 * stage that quarantines it, the error class and a part of the message. Changes that could be
 * mistaken for valid ones carry a source LSN newer than any the scenario makes: applied or
 * served by mistake, such a change would stay in gold or Redis, and the checks after the shared
 * run ({@link EndToEndIT}: gold = PostgreSQL, Redis = gold) would fail.
 */
final class BadInputCorpus {
  private static final Pattern REPEAT = Pattern.compile("\\$\\{repeat:(\\d+):([^}]*)}");

  /** Where a case's record must land. */
  record Expected(String stage, String errorClass, String message) {}

  record Case(String name, String about, String topic, byte[] key, byte[] value, Expected expected) {}

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
    return new Case(name, c.required("about").asText(), c.required("topic").asText(), bytes(c, "key"), bytes(c, "value"),
        new Expected(expect.required("stage").asText(), expect.required("error_class").asText(),
            expect.required("message").asText()));
  }

  /** The field as UTF-8 text, or from its {@code _hex} twin; null when neither is there. */
  private static byte[] bytes(JsonNode c, String field) {
    if (c.hasNonNull(field + "_hex")) return HexFormat.of().parseHex(c.get(field + "_hex").asText());
    if (!c.hasNonNull(field)) return null;
    Matcher m = REPEAT.matcher(c.get(field).asText());
    StringBuilder text = new StringBuilder();
    while (m.find()) m.appendReplacement(text, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
    m.appendTail(text);
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Sends every case, in file order, and returns where each landed. */
  static List<Sent> send(ShoplakeConfig config) throws Exception {
    Properties props = new Properties();
    props.putAll(KafkaSettings.connection(config).clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    List<Sent> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Case c : cases()) {
        sent.add(new Sent(c, producer.send(new ProducerRecord<>(c.topic(), c.key(), c.value())).get()));
      }
    }
    return sent;
  }
}
