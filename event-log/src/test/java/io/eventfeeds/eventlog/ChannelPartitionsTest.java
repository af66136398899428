package io.eventfeeds.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelPartitionsTest {

    /**
     * Partitions worked out once, with kafka-clients 4.1.2, from the murmur2 hash of the key's UTF-8 bytes. Events
     * already in the topic sit where these say: if they change (another hash, another encoding), history reads and
     * resumes would look for old events in the wrong partition.
     */
    @ParameterizedTest(name = "{0} of {1} partitions is on {2}")
    @CsvSource({
        "chat:lobby, 3, 0",
        "chat:lobby, 6, 3",
        "chat:lobby, 12, 9",
        "scores:game-1, 6, 2",
        "scores:game-1, 12, 8",
        "alerts:ops, 12, 2",
        // murmur2 is negative here: the producer clears the sign bit, it does not take the absolute value (-> 1).
        "news:world, 12, 7",
        // The producer's StringSerializer writes UTF-8; ISO-8859-1 bytes would give 1.
        "chat:café, 12, 6",
        "anything, 1, 0"
    })
    void aChannelStaysOnThePartitionItsEventsWereWrittenTo(String channel, int partitionCount, int partition) {
        assertThat(ChannelPartitions.partitionOf(channel, partitionCount)).isEqualTo(partition);
    }

    @Test
    void everyChannelIsWhereTheDefaultPartitionerPutsARecordKeyedByItsName() {
        List<String> channels = IntStream.range(0, 200).mapToObj(i -> "feed-" + i % 7 + ":item." + i).toList();
        for (int partitionCount : new int[] {1, 2, 3, 6, 7, 12, 50}) {
            for (String channel : channels) {
                // What Kafka documents for a keyed record without a partitioner.class: murmur2 of the serialized
                // key, made positive, modulo the number of partitions.
                int expected = Utils.toPositive(Utils.murmur2(channel.getBytes(StandardCharsets.UTF_8)))
                        % partitionCount;
                assertThat(ChannelPartitions.partitionOf(channel, partitionCount))
                        .as("%s of %d partitions", channel, partitionCount).isEqualTo(expected);
            }
        }
    }

    @Test
    void aTopicWithoutPartitionsIsRefusedRatherThanDividedBy() {
        assertThatThrownBy(() -> ChannelPartitions.partitionOf("chat:lobby", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
