package io.eventfeeds.eventlog;

import io.eventfeeds.events.EventTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads one partition of the event topic by position: assign, seek (to an offset or a time), poll, with the log's
 * oldest kept and end offsets. Made by {@link EventLogReaders}.
 *
 * <p>Small and blocking on purpose: every method waits on the broker, and its callers already run it on worker
 * threads (feed-service's history reads on Quarkus workers, the gateway's replays on their own pool), never on an
 * event loop. Like the Kafka consumer it wraps it is not thread-safe: one caller at a time. After a
 * {@link KafkaException} its state is unknown; close it and open another.
 */
public final class EventLogReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventLogReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, String> consumer;
    private TopicPartition partition;

    EventLogReader(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    /** The partition of the event topic that holds this channel's events ({@link ChannelPartitions}). */
    public int partitionOf(String channel) {
        List<PartitionInfo> partitions = consumer.partitionsFor(EventTopics.EVENTS);
        if (partitions == null || partitions.isEmpty()) {
            throw new KafkaException("topic " + EventTopics.EVENTS + " has no partitions");
        }
        return ChannelPartitions.partitionOf(channel, partitions.size());
    }

    /** Reads this partition from now on, in place of the one before; {@link #seek} says where. */
    public void assign(int partition) {
        this.partition = new TopicPartition(EventTopics.EVENTS, partition);
        // Assigned before its offsets are asked for, so that read_committed offsets are tracked for it.
        consumer.assign(List.of(this.partition));
    }

    /** The oldest offset the partition still keeps: retention deleted everything before it. */
    public long oldest() {
        return consumer.beginningOffsets(List.of(partition)).get(partition);
    }

    /** The offset the next committed event will get: a read that reached it is caught up. */
    public long end() {
        return consumer.endOffsets(List.of(partition)).get(partition);
    }

    public void seek(long offset) {
        consumer.seek(partition, offset);
    }

    /**
     * Seeks to the first event written at or after {@code time} (by its record timestamp), or to the end when there is
     * none yet; returns that offset.
     */
    public long seek(Instant time) {
        OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(partition, time.toEpochMilli())).get(partition);
        long offset = found != null ? found.offset() : end();
        consumer.seek(partition, offset);
        return offset;
    }

    /**
     * The offset the next poll reads from. It passes transaction markers and aborted records too, which take offsets
     * but are never returned under read_committed: a read that runs up to an offset compares this, not the offset of
     * the last record it got, or it would wait for them for ever at the end of the partition.
     */
    public long position() {
        return consumer.position(partition);
    }

    /**
     * The next records of the partition, in order; none when none came within a short wait. When retention deleted
     * events the reader had not read yet (since {@link #oldest}, or during a slow read), it goes on from the oldest
     * kept one and says which it missed, rather than failing or jumping to the log's end.
     *
     * @throws OffsetOutOfRangeException for a position beyond the log's end (a truncated log): there is no oldest kept
     *                                   event to go on from
     */
    public Polled poll() {
        try {
            return new Polled(consumer.poll(POLL).records(partition), Optional.empty());
        } catch (OffsetOutOfRangeException e) {
            Long at = e.offsetOutOfRangePartitions().get(partition);
            long oldest = oldest();
            if (at == null || at >= oldest) {
                throw e;
            }
            consumer.seek(partition, oldest);
            return new Polled(List.of(), Optional.of(new Deleted(at, oldest)));
        }
    }

    /** Closes the consumer without waiting: a reader without a group has nothing to leave or commit. */
    @Override
    public void close() {
        try {
            consumer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            // Closed because it failed or the service stops: nothing is left to do about it.
            LOG.debugf("closing an event log reader: %s", e.getMessage());
        }
    }

    /**
     * What one poll brought.
     *
     * @param records the partition's records, oldest first
     * @param deleted events retention deleted before they were read, when that happened
     */
    public record Polled(List<ConsumerRecord<String, String>> records, Optional<Deleted> deleted) {
    }

    /**
     * Offsets {@code from} to {@code oldest - 1} were deleted before they were read; the reader goes on from
     * {@code oldest}.
     */
    public record Deleted(long from, long oldest) {
    }
}
