package io.eventfeeds.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer settings of every {@link EventLogReader}, made from an application's kafka.* settings (as Quarkus
 * hands them over, without the prefix) and parsed by Kafka's own {@link ConsumerConfig}, so that a key left out shows
 * Kafka's default rather than passing unnoticed.
 */
class ReaderSettingsTest {

    /** What a service might have under kafka.*, including settings that must not reach a reader. */
    private static final Map<String, Object> APPLICATION = Map.of(
            "bootstrap.servers", "127.0.0.1:9",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "group.id", "gateway",
            "enable.auto.commit", "true",
            "auto.offset.reset", "latest",
            "isolation.level", "read_uncommitted",
            "health-enabled", "true",
            "health-readiness-enabled", "false",
            "devservices.enabled", "false");

    private static ConsumerConfig reader;

    @BeforeAll
    static void readTheReaderSettings() {
        reader = new ConsumerConfig(EventLogReaders.settings(APPLICATION));
    }

    @Test
    void connectionAndSecurityAreTheApplications() {
        assertThat(reader.getList(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("127.0.0.1:9");
        assertThat(reader.getString("security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(reader.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    }

    @Test
    void aReaderJoinsNoGroupAndCommitsNothing() {
        assertThat(reader.originals()).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
        assertThat(reader.getString(ConsumerConfig.GROUP_ID_CONFIG)).isNull();
        assertThat(reader.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
    }

    @Test
    void aReaderSeesOnlyCommittedEvents() {
        assertThat(reader.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
    }

    @Test
    void aDeletedPositionIsNeverResetSilently() {
        assertThat(reader.getString(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).isEqualTo("none");
    }

    @Test
    void quarkusOwnSwitchesAreNotPassedToKafka() {
        assertThat(reader.originals().keySet())
                .noneMatch(key -> key.startsWith("health"))
                .noneMatch(key -> key.contains("devservices"));
    }

    @Test
    void pollsAndBrokerCallsAreBounded() {
        assertThat(reader.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo(EventLogReaders.MAX_POLL_RECORDS);
        assertThat(reader.getInt(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)).isEqualTo(EventLogReaders.TIMEOUT_MS);
        assertThat(reader.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG)).isEqualTo(EventLogReaders.TIMEOUT_MS);
    }

    @Test
    void keysAndEnvelopesAreReadAsTheProducerWroteThem() {
        assertThat(reader.getClass(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG)).isEqualTo(StringDeserializer.class);
        assertThat(reader.getClass(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)).isEqualTo(StringDeserializer.class);
    }
}
