package io.eventfeeds.gateway.fanout;

import io.eventfeeds.events.EventTopics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
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

    public AssignmentListener(PartitionProgress progress) {
        this.progress = progress;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> lastBefore = new HashMap<>();
        for (TopicPartition partition : partitions) {
            lastBefore.put(partition.partition(), consumer.position(partition) - 1);
        }
        progress.assigned(consumer.partitionsFor(EventTopics.EVENTS).size(), lastBefore);
    }
}
