package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.Position;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;

/**
 * Writes one event to the event topic and completes only when the broker acknowledged it (acks=all), with the
 * position Kafka gave it. The envelope is serialized here, once, so the topic holds exactly the documented JSON.
 */
@ApplicationScoped
public class EventLogWriter {

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public EventLogWriter(@Channel(KafkaChannels.EVENTS_OUT) MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    public Uni<AcceptedEvent> write(EventEnvelope event) {
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
        return emitter.sendMessage(message).map(ignored -> {
            RecordMetadata record = written.getResult();
            return new AcceptedEvent(event.id(), event.channel(),
                    new Position(record.partition(), record.offset()).toString(), event.ts());
        });
    }
}
