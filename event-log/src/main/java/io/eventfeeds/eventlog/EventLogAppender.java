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
import java.util.concurrent.CompletableFuture;
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

    private final MutinyEmitter<OnceOnlyRecord> emitter;
    private final ObjectMapper json;

    public EventLogAppender(@Channel(EventLogChannels.EVENTS_OUT) MutinyEmitter<OnceOnlyRecord> emitter,
            ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    /**
     * The event's position once Kafka acknowledged it; a failure when it did not (broker down, delivery timeout, a
     * full emitter buffer).
     */
    public Uni<Position> append(EventEnvelope event) {
        return start(event).acknowledged();
    }

    /**
     * Sends the event now and returns what is known of it while Kafka's answer is awaited. The envelope is
     * serialized here, once; the record enters the producer at most once ({@link OnceOnlyRecord}).
     */
    public PendingAppend start(EventEnvelope event) {
        OnceOnlyRecord record;
        try {
            record = new OnceOnlyRecord(json.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            return PendingAppend.failed(e);
        }
        OutgoingMessageMetadata<RecordMetadata> written = new OutgoingMessageMetadata<>();
        Message<OnceOnlyRecord> message = Message.of(record)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.channel()).build())
                .addMetadata(written);
        // Deferred: the emitter throws at once when its buffer is full, and that must reach the caller as a failed
        // append like any other, not escape into whatever called append(). Subscribed here, so it is sent once.
        CompletableFuture<Position> acknowledged = Uni.createFrom().deferred(() -> emitter.sendMessage(message))
                .map(ignored -> {
                    RecordMetadata metadata = written.getResult();
                    return new Position(metadata.partition(), metadata.offset());
                })
                .subscribeAsCompletionStage();
        return new PendingAppend(record, acknowledged);
    }
}
