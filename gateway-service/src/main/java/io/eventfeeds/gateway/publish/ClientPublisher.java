package io.eventfeeds.gateway.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.fanout.KafkaChannels;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Writes a client's publish to the event topic, keyed by channel, and completes with its position only once the
 * broker acknowledged it (acks=all). Every gateway instance then fans it out like any other event.
 */
@ApplicationScoped
public class ClientPublisher {

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public ClientPublisher(@Channel(KafkaChannels.EVENTS_OUT) MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    public Uni<Position> publish(EventEnvelope event) {
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
        // deferred, as feed-service's writer: the emitter throws at once when its buffer is full, and that must reach
        // the caller as a failed publish (an error frame with its ref), not escape into the frame handler.
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message)).map(ignored -> {
            RecordMetadata record = written.getResult();
            return new Position(record.partition(), record.offset());
        });
    }
}
