package io.eventfeeds.gateway.fanout;

import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.ops.GatewayMetrics;
import io.eventfeeds.gateway.protocol.Frames;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes every event from Kafka and hands it to this instance's subscribers of its channel. The frame is serialized
 * once per event, not once per subscriber. Sending never waits for a client, so one slow client cannot hold up the
 * consumer.
 */
@ApplicationScoped
public class EventFanout {

    private static final Logger LOG = Logger.getLogger(EventFanout.class);

    private final ChannelRouter router;
    private final Frames frames;
    private final GatewayMetrics metrics;

    public EventFanout(ChannelRouter router, Frames frames, GatewayMetrics metrics) {
        this.router = router;
        this.frames = frames;
        this.metrics = metrics;
    }

    @Incoming(KafkaChannels.EVENTS_IN)
    public void deliver(ConsumerRecord<String, String> record) {
        metrics.eventConsumed();
        Position position = new Position(record.partition(), record.offset());
        String frame = null;
        if (record.key() == null || record.value() == null) {
            LOG.warnf("skipping record at %s: no channel key or no value", position);
        } else {
            frame = frames.event(record.key(), record.value(), position).orElse(null);
            if (frame == null) {
                LOG.warnf("skipping record at %s: value is not an event envelope (a JSON object)", position);
            }
        }
        router.dispatch(record.key(), record.partition(), record.offset(), frame);
    }
}
