package io.eventfeeds.testsupport;

import io.eventfeeds.events.EventTopics;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes to the event topic with a plain Kafka producer, as a publisher outside the project would. */
public final class EventTopicWriter {

    private EventTopicWriter() {
    }

    public static RecordMetadata write(String channel, String envelopeJson) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            return producer.send(new ProducerRecord<>(EventTopics.EVENTS, channel, envelopeJson)).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + EventTopics.EVENTS, e);
        }
    }
}
