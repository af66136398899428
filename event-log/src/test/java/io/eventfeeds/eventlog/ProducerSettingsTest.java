package io.eventfeeds.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event log's producer settings as a service reads them: event-log's META-INF/microprofile-config.properties
 * through MicroProfile Config's default sources, then parsed by Kafka's own {@link ProducerConfig}, so that a key
 * left out shows Kafka's default (linger.ms is 5 since Kafka 4) rather than passing unnoticed.
 */
class ProducerSettingsTest {

    private static final String PREFIX = "mp.messaging.outgoing." + EventLogChannels.EVENTS_OUT + ".";

    private static ProducerConfig producer;

    @BeforeAll
    static void readTheProducerSettings() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources().build();
        Map<String, Object> settings = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                settings.put(name.substring(PREFIX.length()), config.getRawValue(name));
            }
        }
        // The services give the brokers (kafka.bootstrap.servers); this check needs none to be reachable.
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        producer = new ProducerConfig(settings);
    }

    @Test
    void anEventIsAcceptedOnlyOnceEveryInSyncReplicaHasIt() {
        // Kafka normalizes acks=all to -1.
        assertThat(producer.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
    }

    @Test
    void retriesNeitherDuplicateNorReorderEvents() {
        assertThat(producer.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(producer.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isLessThanOrEqualTo(5);
    }

    @Test
    void aRecordsKeyIsItsChannelNameInUtf8SoChannelPartitionsFindsIt() {
        assertThat(producer.getClass(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)).isEqualTo(StringSerializer.class);
        assertThat(producer.originals()).doesNotContainKey(ProducerConfig.PARTITIONER_CLASS_CONFIG);
    }

    @Test
    void eachEventIsSentWithoutLingering() {
        assertThat(producer.getLong(ProducerConfig.LINGER_MS_CONFIG)).isZero();
    }
}
