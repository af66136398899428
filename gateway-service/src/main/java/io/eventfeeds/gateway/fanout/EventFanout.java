package io.eventfeeds.gateway.fanout;

import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.protocol.Frames;
import io.eventfeeds.gateway.transport.TextFrame;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes each poll batch of the event topic, encodes every event once into its ready-to-send frame, and hands the
 * batch to every event loop's shard once. It runs on the connector's event loop ({@link NonBlocking}: a plain
 * {@code void} method would hop to a worker thread per record) and never waits for a client.
 */
@ApplicationScoped
public class EventFanout {

    private static final Logger LOG = Logger.getLogger(EventFanout.class);

    private final FanoutShards shards;
    private final PartitionProgress progress;
    private final Frames frames;
    private final FanoutMetrics metrics;
    private final RepeatedEvents repeats;

    public EventFanout(FanoutShards shards, PartitionProgress progress, Frames frames, FanoutMetrics metrics,
            RepeatedEvents repeats) {
        this.repeats = repeats;
        this.shards = shards;
        this.progress = progress;
        this.frames = frames;
        this.metrics = metrics;
    }

    @Incoming(KafkaChannels.EVENTS_IN)
    @NonBlocking
    public void deliver(ConsumerRecords<String, String> records) {
        if (records.isEmpty()) {
            return;
        }
        List<EncodedEvent> batch = new ArrayList<>(records.count());
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, String> record : records) {
            if (record.timestampType() == TimestampType.CREATE_TIME) {
                metrics.consumedAged(now - record.timestamp());
            }
            batch.add(encode(record));
        }
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> ofPartition = records.records(partition);
            progress.dispatched(partition.partition(), ofPartition.get(ofPartition.size() - 1).offset());
        }
        metrics.consumed(batch.size());
        shards.dispatch(batch);
    }

    private EncodedEvent encode(ConsumerRecord<String, String> record) {
        Position position = new Position(record.partition(), record.offset());
        Frames.EventFrame frame = null;
        if (record.key() == null || record.value() == null) {
            LOG.warnf("skipping record at %s: no channel key or no value", position);
        } else {
            frame = frames.event(record.key(), record.value(), position).orElse(null);
            if (frame == null) {
                LOG.warnf("skipping record at %s: value is not an event envelope (a JSON object)", position);
            } else if (!repeats.firstTime(record.key(), frame.id())) {
                LOG.debugf("skipping record at %s: event %s was delivered on %s already", position, frame.id(),
                        record.key());
                frame = null;
            }
        }
        return new EncodedEvent(record.key(), record.partition(), record.offset(),
                frame == null ? null : TextFrame.shared(frame.bytes()), frame == null ? null : frame.id());
    }
}
