package io.eventfeeds.gateway.fanout;

import io.eventfeeds.events.EventTopics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Learns, when the fan-out consumer gets its partitions, how many the topic has and where live delivery of each
 * starts. Runs on the consumer's polling thread, where asking the consumer is allowed.
 */
@ApplicationScoped
@Identifier(AssignmentListener.NAME)
public class AssignmentListener implements KafkaConsumerRebalanceListener {

    /** Referenced by {@code mp.messaging.incoming.events-in.consumer-rebalance-listener.name}. */
    public static final String NAME = "gateway-assignment";

    private final PartitionProgress progress;
    private final FanoutShards shards;

    public AssignmentListener(PartitionProgress progress, FanoutShards shards) {
        this.progress = progress;
        this.shards = shards;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> lastBefore = new HashMap<>();
        for (TopicPartition partition : partitions) {
            continueAfterLastDispatched(consumer, partition);
            lastBefore.put(partition.partition(), consumer.position(partition) - 1);
        }
        // The shards first: a subscribe that sees the partition count must find its shard's start known.
        shards.assigned(lastBefore);
        progress.assigned(consumer.partitionsFor(EventTopics.EVENTS).size(), lastBefore);
    }

    /**
     * Offsets are never committed, so a partition assigned again (after the consumer lost it, for example when a poll
     * came too late) would start at the log's end and its live subscribers would miss what came meanwhile, without
     * being told. A partition this instance has already fanned out continues right after the last event it
     * dispatched, or at the oldest kept event if retention removed that much.
     */
    private void continueAfterLastDispatched(Consumer<?, ?> consumer, TopicPartition partition) {
        long last = progress.lastDispatched(partition.partition());
        if (last == PartitionProgress.UNKNOWN) {
            return;
        }
        long oldest = consumer.beginningOffsets(List.of(partition)).get(partition);
        consumer.seek(partition, Math.max(last + 1, oldest));
    }
}
