package io.eventfeeds.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventfeeds.events.EventTopics;
import io.eventfeeds.testsupport.EventTopicWriter;
import io.eventfeeds.testsupport.SharedServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EventLogReader} against the real broker (one per test JVM, from test-support). */
class EventLogReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private EventLogReader reader;

    @BeforeEach
    void open() {
        reader = new EventLogReaders(Map.of("bootstrap.servers", SharedServers.kafka().bootstrapServers()))
                .open("event-log-test");
    }

    @AfterEach
    void close() {
        reader.close();
    }

    @Test
    void readsAChannelFromAPositionUpToTheEnd() {
        String channel = uniqueChannel();
        List<RecordMetadata> written = write(channel, 3);

        int partition = reader.partitionOf(channel);
        reader.assign(partition);
        long end = reader.end();
        reader.seek(written.get(1).offset());
        Read read = readUpTo(end);

        assertThat(partition).as("the producer's partition").isEqualTo(written.get(0).partition());
        assertThat(end).isEqualTo(written.get(2).offset() + 1);
        assertThat(read.offsetsOf(channel)).containsExactly(written.get(1).offset(), written.get(2).offset());
        assertThat(read.deleted()).isEmpty();
        assertThat(reader.position()).as("caught up").isEqualTo(end);
    }

    @Test
    void seeksToTheFirstEventWrittenAtOrAfterATimeOrElseToTheEnd() {
        String channel = uniqueChannel();
        RecordMetadata earlier = write(channel, 1).get(0);
        // The next event must carry a later timestamp than this one, which the clock decides.
        await().atMost(WAIT).until(() -> System.currentTimeMillis() > earlier.timestamp());
        RecordMetadata later = write(channel, 1).get(0);
        reader.assign(reader.partitionOf(channel));

        assertThat(reader.seek(Instant.ofEpochMilli(later.timestamp()))).isEqualTo(later.offset());
        assertThat(reader.position()).isEqualTo(later.offset());
        assertThat(reader.seek(Instant.ofEpochMilli(later.timestamp() + 60_000))).isEqualTo(reader.end());
    }

    @Test
    void aPositionOlderThanTheLogsStartGoesOnFromTheOldestKeptEventAndSaysWhatWasMissed() throws Exception {
        String channel = uniqueChannel();
        List<RecordMetadata> written = write(channel, 3);
        int partition = written.get(0).partition();
        deleteBefore(partition, written.get(1).offset());

        reader.assign(partition);
        long end = reader.end();
        reader.seek(written.get(0).offset());
        Read read = readUpTo(end);

        assertThat(reader.oldest()).isEqualTo(written.get(1).offset());
        assertThat(read.deleted()).containsExactly(
                new EventLogReader.Deleted(written.get(0).offset(), written.get(1).offset()));
        assertThat(read.offsetsOf(channel)).containsExactly(written.get(1).offset(), written.get(2).offset());
    }

    @Test
    void aPositionBeyondTheLogsEndFails() {
        String channel = uniqueChannel();
        write(channel, 1);
        reader.assign(reader.partitionOf(channel));
        reader.seek(reader.end() + 10);

        await().atMost(WAIT).pollInSameThread().until(() -> {
            try {
                reader.poll();
                return false;
            } catch (OffsetOutOfRangeException e) {
                return true;
            }
        });
    }

    /** Polls until the reader's position reaches {@code end}. */
    private Read readUpTo(long end) {
        Read read = new Read(new ArrayList<>(), new ArrayList<>());
        await().atMost(WAIT).pollInSameThread().until(() -> {
            EventLogReader.Polled polled = reader.poll();
            read.records().addAll(polled.records());
            polled.deleted().ifPresent(read.deleted()::add);
            return reader.position() >= end;
        });
        return read;
    }

    private static List<RecordMetadata> write(String channel, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> EventTopicWriter.write(channel, "{\"channel\":\"" + channel + "\",\"n\":" + i + "}"))
                .toList();
    }

    private static void deleteBefore(int partition, long offset) throws Exception {
        try (Admin admin = SharedServers.kafka().admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(EventTopics.EVENTS, partition),
                    RecordsToDelete.beforeOffset(offset))).all().get();
        }
    }

    private static String uniqueChannel() {
        return "reader:" + UUID.randomUUID();
    }

    private record Read(List<ConsumerRecord<String, String>> records, List<EventLogReader.Deleted> deleted) {
        List<Long> offsetsOf(String channel) {
            return records.stream().filter(record -> channel.equals(record.key())).map(ConsumerRecord::offset).toList();
        }
    }
}
