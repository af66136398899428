package io.eventfeeds.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.Position;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Appends one event to the event topic and completes with the position Kafka gave it, only once the broker
 * acknowledged it. feed-service (REST) and the gateway (WebSocket publishes) both write through here, so the topic
 * holds exactly the documented JSON, keyed by channel to keep each channel's order, whoever published.
 *
 * <p>An emitter rather than a bare {@code KafkaProducer}: the connector gives the producer's health check, metrics
 * and configuration under {@code mp.messaging.outgoing.events-out.*}, and {@link OutgoingMessageMetadata} still
 * hands back the record's partition and offset.
 */
@ApplicationScoped
public class EventLogAppender {

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public EventLogAppender(@Channel(EventLogChannels.EVENTS_OUT) MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    /**
     * The event's position once Kafka acknowledged it; a failure when it did not (broker down, delivery timeout, a
     * full emitter buffer). The envelope is serialized here, once.
     */
    public Uni<Position> append(EventEnvelope event) {
        String value;
        try {
            value = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        OutgoingMessageMetadata<RecordMetadata> written = new OutgoingMessageMetadata<>();
        Message<String> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.channel()).build())
                .addMetadata(written);
        // Deferred: the emitter throws at once when its buffer is full, and that must reach the caller as a failed
        // append like any other, not escape into whatever called append().
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message)).map(ignored -> {
            RecordMetadata record = written.getResult();
            return new Position(record.partition(), record.offset());
        });
    }
}
