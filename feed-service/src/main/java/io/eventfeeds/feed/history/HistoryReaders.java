package io.eventfeeds.feed.history;

import io.eventfeeds.eventlog.EventLogReader;
import io.eventfeeds.eventlog.EventLogReaders;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of the event log's readers for history reads: making one costs metadata round trips, so they are
 * reused. A reader is used by one read at a time (it is not thread-safe) and only on worker threads, since every
 * call on it blocks.
 */
@ApplicationScoped
public class HistoryReaders {

    private final EventLogReaders readers;
    private final BlockingQueue<EventLogReader> idle;
    private final AtomicInteger created = new AtomicInteger();
    private final int size;

    public HistoryReaders(EventLogReaders readers, HistoryConfig config) {
        this.readers = readers;
        this.size = config.consumers();
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /** A reader for one read, or null if none became free within {@code wait}. Give it back with {@link #release}. */
    public EventLogReader acquire(Duration wait) throws InterruptedException {
        EventLogReader reader = idle.poll();
        if (reader != null) {
            return reader;
        }
        if (created.incrementAndGet() <= size) {
            return readers.open("feed-history");
        }
        created.decrementAndGet();
        return idle.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void release(EventLogReader reader) {
        if (!idle.offer(reader)) {
            reader.close();
        }
    }

    /** A reader that failed is closed rather than reused, and its place freed. */
    public void discard(EventLogReader reader) {
        created.decrementAndGet();
        reader.close();
    }

    @PreDestroy
    void closeAll() {
        EventLogReader reader;
        while ((reader = idle.poll()) != null) {
            reader.close();
        }
    }
}
