package io.eventfeeds.gateway.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.events.Position;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import java.util.concurrent.CompletionStage;

/**
 * Takes every event from Kafka and sends it to this instance's subscribers of its channel. The frame is serialized
 * once per event, not once per subscriber.
 */
@ApplicationScoped
public class EventFanout {

    private static final Logger LOG = Logger.getLogger(EventFanout.class);

    private final Subscriptions subscriptions;
    private final ObjectMapper json;

    public EventFanout(Subscriptions subscriptions, ObjectMapper json) {
        this.subscriptions = subscriptions;
        this.json = json;
    }

    @Incoming(KafkaChannels.EVENTS_IN)
    public CompletionStage<Void> deliver(Message<String> message) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        String channel = String.valueOf(meta.getKey());
        var subscribers = subscriptions.of(channel);
        if (!subscribers.isEmpty()) {
            String frame = toFrame(message.getPayload(), new Position(meta.getPartition(), meta.getOffset()));
            if (frame != null) {
                subscribers.forEach(connection -> connection.sendText(frame).subscribe().with(
                        sent -> { }, failure -> LOG.debugf("dropped a frame for %s: %s", connection.id(), failure)));
            }
        }
        return message.ack();
    }

    private String toFrame(String envelope, Position position) {
        try {
            JsonNode event = json.readTree(envelope);
            if (!(event instanceof ObjectNode node)) {
                LOG.warnf("skipping event at %s: not a JSON object", position);
                return null;
            }
            ObjectNode frame = json.createObjectNode().put("type", "event");
            frame.setAll(node);
            frame.put("position", position.toString());
            return json.writeValueAsString(frame);
        } catch (Exception e) {
            LOG.warnf("skipping event at %s: %s", position, e.getMessage());
            return null;
        }
    }
}
