package io.eventfeeds.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.eventlog.ChannelPartitions;
import io.eventfeeds.gateway.ops.KafkaAssignedCheck;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    @Test
    void readinessIsDownUntilTheConsumerHasItsPartitions() {
        PartitionProgress progress = new PartitionProgress();
        KafkaAssignedCheck check = new KafkaAssignedCheck(progress);
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(progress.partitionOf("scores:game-1")).isEmpty();

        progress.assigned(3, Map.of(0, -1L, 1, 41L, 2, 7L));

        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(progress.lastDispatched(1)).isEqualTo(41L);
    }

    @Test
    void aChannelsPartitionIsTheOneTheEventLogWritesItTo() {
        PartitionProgress progress = new PartitionProgress();
        progress.assigned(6, Map.of(0, -1L));
        assertThat(progress.partitionOf("chat:lobby")).hasValue(ChannelPartitions.partitionOf("chat:lobby", 6));
    }
}
