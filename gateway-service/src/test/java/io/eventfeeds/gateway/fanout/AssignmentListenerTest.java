package io.eventfeeds.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.events.EventTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AssignmentListenerTest {

    private static final TopicPartition P0 = new TopicPartition(EventTopics.EVENTS, 0);

    private final PartitionProgress progress = new PartitionProgress();
    private final AssignmentListener listener = new AssignmentListener(progress, new FanoutShards(null, progress,
            null, new FanoutMetrics(new SimpleMeterRegistry(), null), new SimpleMeterRegistry()));
    private MockConsumer<String, String> consumer;

    @BeforeEach
    void consumerAtTheEndOfALogOf100Records() {
        consumer = new MockConsumer<>("latest");
        consumer.updatePartitions(EventTopics.EVENTS, List.of(new PartitionInfo(EventTopics.EVENTS, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 100L));
        consumer.assign(List.of(P0));
    }

    @Test
    void aFirstAssignmentStartsLiveDeliveryAtTheEndOfTheLog() {
        listener.onPartitionsAssigned(consumer, List.of(P0));

        assertThat(consumer.position(P0)).isEqualTo(100);
        assertThat(progress.lastDispatched(0)).isEqualTo(99);
    }

    @Test
    void aPartitionAssignedAgainContinuesAfterTheLastDispatchedEventSoLiveSubscribersMissNothing() {
        progress.assigned(1, Map.of(0, 41L));

        listener.onPartitionsAssigned(consumer, List.of(P0));

        assertThat(consumer.position(P0)).isEqualTo(42);
        assertThat(progress.lastDispatched(0)).isEqualTo(41);
    }

    @Test
    void aPartitionAssignedAgainAfterRetentionRemovedItsNextEventStartsAtTheOldestKeptOne() {
        progress.assigned(1, Map.of(0, 41L));
        consumer.updateBeginningOffsets(Map.of(P0, 60L));

        listener.onPartitionsAssigned(consumer, List.of(P0));

        assertThat(consumer.position(P0)).isEqualTo(60);
    }
}
