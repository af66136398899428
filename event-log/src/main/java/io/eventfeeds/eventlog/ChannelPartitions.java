package io.eventfeeds.eventlog;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * Where the event topic keeps a channel's events. {@link EventLogAppender} sends each event keyed by its channel name
 * (StringSerializer: UTF-8) and sets neither a partition nor a {@code partitioner.class}, so the producer's default
 * partitioner picks the partition from the key's bytes. Readers that seek a channel's events (feed-service's history,
 * the gateway's resumes) must land on that same partition, so they ask here rather than hash on their own.
 *
 * <p>Kafka's producer calls {@link BuiltInPartitioner#partitionForKey} for such a record. That class is internal to
 * Kafka, which is why only this class touches it: {@code ChannelPartitionsTest} pins known partitions, so a Kafka
 * upgrade that moved channels (and with them every event already written) breaks a test, not the history reads.
 */
public final class ChannelPartitions {

    private ChannelPartitions() {
    }

    /** The partition, of a topic with {@code partitionCount} partitions, that the producer gives this channel. */
    public static int partitionOf(String channel, int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitionCount);
        }
        return BuiltInPartitioner.partitionForKey(channel.getBytes(StandardCharsets.UTF_8), partitionCount);
    }
}
