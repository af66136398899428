package io.eventfeeds.feed.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.eventlog.EventLogReader;
import io.eventfeeds.events.ChannelName;
import io.eventfeeds.events.Position;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Reads a channel's events back from Kafka. A channel lives in the one partition the producer gave its key
 * ({@link EventLogReader#partitionOf}), so a read is a seek in that partition, skipping other channels' records.
 * Every method blocks: call it on a worker thread.
 */
@ApplicationScoped
public class ChannelHistory {

    private static final Logger LOG = Logger.getLogger(ChannelHistory.class);

    private final HistoryReaders readers;
    private final HistoryConfig config;
    private final ObjectMapper json;

    public ChannelHistory(HistoryReaders readers, HistoryConfig config, ObjectMapper json) {
        this.readers = readers;
        this.config = config;
        this.json = json;
    }

    /**
     * The channel's events after {@code since} (oldest first, at most {@code limit} and
     * {@code feeds.history.max-page-bytes}), or its latest such events when {@code since} is empty.
     */
    public HistoryPage read(ChannelName channel, Optional<Position> since, int limit) {
        long deadline = System.nanoTime() + config.timeBudget().toNanos();
        EventLogReader reader;
        try {
            reader = readers.acquire(config.timeBudget());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
        if (reader == null) {
            throw unavailable(null);
        }
        try {
            HistoryPage page = since.isPresent()
                    ? after(reader, channel, since.get(), limit, deadline)
                    : latest(reader, channel, limit, deadline);
            readers.release(reader);
            return page;
        } catch (KafkaException e) {
            readers.discard(reader);
            throw unavailable(e);
        } catch (RuntimeException e) {
            readers.release(reader);
            throw e;
        }
    }

    private HistoryPage after(EventLogReader reader, ChannelName channel, Position since, int limit, long deadline) {
        int partition = reader.partitionOf(channel.toString());
        if (since.partition() != partition) {
            throw new ProblemException(FeedProblemType.INVALID_POSITION,
                    "position " + since + " is not a position of channel " + channel, "since");
        }
        reader.assign(partition);
        long begin = reader.oldest();
        long end = reader.end();
        // A position at or past the end has nothing after it yet (and + 1 must not overflow for Long.MAX_VALUE).
        long from = since.offset() >= end ? end : since.offset() + 1;
        boolean truncated = from < begin;
        if (truncated) {
            from = begin;
        }
        if (from >= end) {
            return new HistoryPage(channel.toString(), List.of(), since.toString(), truncated, false);
        }
        PageEvents page = new PageEvents(limit, config.maxPageBytes().asLongValue());
        Scan scan = scan(reader, channel, from, end, deadline, (event, size) -> {
            if (!page.append(event, size)) {
                // Over the byte cap: the page ends before this event, which the next read starts with.
                return Take.NOT_AND_STOP;
            }
            return page.full() ? Take.AND_STOP : Take.AND_GO_ON;
        });
        long scanned = scan.last();
        boolean more = scanned < end - 1;
        String next = scanned >= from ? new Position(partition, scanned).toString() : since.toString();
        // Retention may also delete events after since while the read runs: the page skips them, and says so.
        return new HistoryPage(channel.toString(), page.events(), next, truncated || scan.deleted(), more);
    }

    /**
     * The newest events: scans backwards from the end of the partition in growing windows until it has
     * {@code limit} of this channel's events or a page's worth of bytes, reaches the log start, or runs out of
     * time. A page cut by bytes keeps the newest events: it is what a reader without a position wants, and it
     * reads on from the newest one.
     */
    private HistoryPage latest(EventLogReader reader, ChannelName channel, int limit, long deadline) {
        int partition = reader.partitionOf(channel.toString());
        reader.assign(partition);
        long begin = reader.oldest();
        long end = reader.end();
        PageEvents page = new PageEvents(limit, config.maxPageBytes().asLongValue());
        long window = Math.max(4L * limit, 1000);
        long to = end;
        long next = end - 1;
        boolean more = false;
        while (to > begin && !page.full() && System.nanoTime() < deadline) {
            long from = Math.max(begin, to - window);
            // Holds at most the room the page has left, however many of the channel's events the window has.
            PageEvents found = page.roomBefore();
            long scanned = scan(reader, channel, from, to, deadline, (event, size) -> {
                found.appendKeepingNewest(event, size);
                return Take.AND_GO_ON;
            }).last();
            boolean complete = scanned >= to - 1;
            if (!complete && to < end) {
                // An older window cut short by the time budget: its events would sit before a hole, so the page
                // keeps only the complete newer windows, which reach the end of the log without a gap.
                break;
            }
            page.prepend(found);
            if (!complete) {
                // The newest window itself was cut short: the page ends where the scan stopped, and the client
                // reads on from there, so the newest events are not skipped.
                next = scanned;
                more = true;
                break;
            }
            if (found.trimmed()) {
                // the page is full of bytes: older windows' events would not fit either
                break;
            }
            to = from;
            window *= 2;
        }
        String position = next >= 0 ? new Position(partition, next).toString() : null;
        return new HistoryPage(channel.toString(), page.events(), position, false, more);
    }

    /**
     * Reads offsets [from, to) of the reader's partition, handing this channel's events and their JSON size to
     * {@code sink} until it says stop, the range ends, or the deadline passes.
     */
    private Scan scan(EventLogReader reader, ChannelName channel, long from, long to, long deadline, Sink sink) {
        reader.seek(from);
        String key = channel.toString();
        long last = from - 1;
        boolean deleted = false;
        while (last < to - 1 && System.nanoTime() < deadline) {
            EventLogReader.Polled polled = reader.poll();
            deleted |= polled.deleted().isPresent();
            for (ConsumerRecord<String, String> record : polled.records()) {
                if (record.offset() >= to) {
                    return new Scan(last, deleted);
                }
                last = record.offset();
                if (key.equals(record.key())) {
                    ObjectNode event = parse(record);
                    if (event != null) {
                        switch (sink.take(event, sizeOf(event))) {
                            case AND_STOP:
                                return new Scan(last, deleted);
                            case NOT_AND_STOP:
                                return new Scan(last - 1, deleted);
                            default:
                                break;
                        }
                    }
                }
            }
            // The reader's position has passed transaction markers, aborted records and deleted events, which it
            // never returns, and so has the scan, or it would wait for them until its deadline (and answer
            // more: true for ever at the end of the partition).
            last = Math.max(last, Math.min(reader.position(), to) - 1);
        }
        return new Scan(last, deleted);
    }

    private ObjectNode parse(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            JsonNode value = json.readTree(record.value());
            if (value instanceof ObjectNode event) {
                event.put("position", new Position(record.partition(), record.offset()).toString());
                return event;
            }
        } catch (IOException e) {
            // Anyone may write to the topic; a record that is not an envelope is skipped, as the gateway does.
        }
        LOG.debugf("skipping record %d-%d: not a JSON event envelope", record.partition(), record.offset());
        return null;
    }

    /** The bytes this event takes in the answer, counted without keeping them. */
    private long sizeOf(ObjectNode event) {
        ByteCount count = new ByteCount();
        try {
            json.writeValue(count, event);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
        return count.bytes;
    }

    private static ProblemException unavailable(Throwable cause) {
        return new ProblemException(Problem.of(FeedProblemType.EVENT_LOG_UNAVAILABLE,
                "the event log could not be read in time; retry later", null), Duration.ofSeconds(5), cause);
    }

    /**
     * Where a scan got to.
     *
     * @param last    the last offset dealt with (from - 1 if none): an event the sink did not take is not dealt with
     * @param deleted whether retention deleted events of the range before the scan read them
     */
    private record Scan(long last, boolean deleted) {
    }

    /** What a scan does with one of the channel's events. */
    private enum Take {
        AND_GO_ON, AND_STOP, NOT_AND_STOP
    }

    @FunctionalInterface
    private interface Sink {
        Take take(ObjectNode event, long size);
    }

    private static final class ByteCount extends OutputStream {
        private long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
