package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.Position;
import io.eventfeeds.feed.problem.Problem;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.feed.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Writes one event to the event topic and completes only when the broker acknowledged it (acks=all, idempotent
 * producer), with the position Kafka gave it. The envelope is serialized here, once, so the topic holds exactly the
 * documented JSON. Any failure to get the acknowledgement (broker down, delivery timeout, full emitter buffer)
 * becomes a 503 problem: the caller never hears "accepted" for an event Kafka did not acknowledge.
 */
@ApplicationScoped
public class EventLogWriter {

    private static final Logger LOG = Logger.getLogger(EventLogWriter.class);

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;
    private final PublishConfig config;

    public EventLogWriter(@Channel(KafkaChannels.EVENTS_OUT) MutinyEmitter<String> emitter, ObjectMapper json,
            PublishConfig config) {
        this.emitter = emitter;
        this.json = json;
        this.config = config;
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
        // deferred: the emitter throws at once when its buffer is full, which must become a 503 like any failure
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message))
                .ifNoItem().after(config.ackTimeout()).fail()
                .map(ignored -> {
                    RecordMetadata record = written.getResult();
                    return new AcceptedEvent(event.id(), event.channel(),
                            new Position(record.partition(), record.offset()).toString(), event.ts());
                })
                .onFailure().transform(failure -> {
                    LOG.warnf("event %s to %s not acknowledged by Kafka: %s", event.id(), event.channel(), failure.toString());
                    return new ProblemException(Problem.of(ProblemType.EVENT_LOG_UNAVAILABLE,
                            "Kafka did not acknowledge the event; it was not accepted, retry later", null),
                            config.retryAfter(), failure);
                });
    }
}
