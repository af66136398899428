package io.eventfeeds.gateway.resume;

import io.eventfeeds.eventlog.EventLogReader;
import io.eventfeeds.eventlog.EventLogReaders;
import io.eventfeeds.events.EventIds;
import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.fanout.ChannelRouter;
import io.eventfeeds.gateway.fanout.EncodedEvent;
import io.eventfeeds.gateway.fanout.PartitionProgress;
import io.eventfeeds.gateway.fanout.Recipient;
import io.eventfeeds.gateway.fanout.Replays;
import io.eventfeeds.gateway.fanout.Subscription;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.gateway.protocol.Frames;
import io.eventfeeds.gateway.transport.TextFrame;
import io.eventfeeds.security.throttle.CallerRateLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Replays a channel from a position: reads the channel's partition from the position up to where live delivery took
 * over when the client subscribed, then lets the subscription's held live events follow. Together with
 * {@link Subscription}'s offset check that is every missed event, in order, once. Each replayed record is encoded
 * once and written on the subscription's event loop, as live events are.
 *
 * <p>Replays block on Kafka and on the client's backlog, so they run on a small pool of threads of their own, never
 * on the event loop (platform threads, not virtual ones, because the build targets Java 17). Its size bounds how
 * many replays read Kafka at once, and {@link ReplayQuota} how many may wait for it. Each thread keeps one
 * {@link EventLogReader} for all its replays: making one (its consumer's metadata round trips, its buffers) cost far
 * more than a short replay itself, and a thousand clients resuming at once waited for a thousand of them.
 *
 * <p>The threads are shared fairly ({@link FairReplayPool}): replays that start close to the log's end are read
 * together per partition; one that starts further back than {@code feeds.gateway.resume.slice-records} reads alone, in
 * slices of that many records, each slice a turn of its caller. So one caller's long or stuck replays take turns with everyone
 * else's work and hold at most {@code feeds.gateway.resume.max-concurrent-per-caller} threads.
 */
@ApplicationScoped
public class Replayer implements Replays {

    private static final Logger LOG = Logger.getLogger(Replayer.class);
    private static final Duration ASSIGNMENT_WAIT = Duration.ofSeconds(30);

    private final EventLogReaders readers;
    private final PartitionProgress progress;
    private final Frames frames;
    private final GatewayConfig config;
    private final FairReplayPool pool;
    private final ReplayQuota quota;
    private final ChannelRouter router;
    private final ThreadLocal<EventLogReader> threadReaders = new ThreadLocal<>();
    private final Map<Integer, PartitionQueue> queues = new ConcurrentHashMap<>();
    private final Queue<EventLogReader> allReaders = new ConcurrentLinkedQueue<>();

    public Replayer(EventLogReaders readers, PartitionProgress progress, Frames frames, GatewayConfig config,
            ChannelRouter router, MeterRegistry registry) {
        this.router = router;
        this.readers = readers;
        this.progress = progress;
        this.frames = frames;
        this.config = config;
        this.quota = new ReplayQuota(config.resume().maxPendingPerConnection(), config.resume().maxPendingPerCaller(),
                config.resume().maxPending());
        this.pool = new FairReplayPool(config.resume().maxConcurrent(), config.resume().maxConcurrentPerCaller(),
                "gateway-replay");
        Gauge.builder("feeds.gateway.replays.running", pool, FairReplayPool::running)
                .description("Replay tasks reading Kafka or writing to their clients now").register(registry);
        Gauge.builder("feeds.gateway.replays.queued", pool, FairReplayPool::queued)
                .description("Replay tasks waiting for a replay thread").register(registry);
    }

    @Override
    public boolean reserve(Recipient recipient) {
        return quota.tryAcquire(recipient.id(), CallerRateLimiter.callerOf(recipient.identity()));
    }

    @Override
    public void replay(Subscription subscription, long since, long liveAfter, String ref, Consumer<Subscription> abandon) {
        Request request = new Request(subscription, since, liveAfter, ref, abandon);
        PartitionQueue queue = queues.computeIfAbsent(subscription.partition(), PartitionQueue::new);
        queue.pending.add(request);
        if (queue.active.compareAndSet(false, true)) {
            submit(new SharedRead(queue.partition), () -> drain(queue), List.of(request));
        }
    }

    /**
     * Reads a partition for every replay waiting for it, group after group: replays that arrive while a group is
     * being read form the next one. One reader per partition at a time.
     */
    private void drain(PartitionQueue queue) {
        while (true) {
            List<Request> group = new ArrayList<>();
            Request next;
            while ((next = queue.pending.poll()) != null) {
                group.add(next);
            }
            if (group.isEmpty()) {
                queue.active.set(false);
                // A replay added between the poll and the reset finds the queue active and leaves it to us.
                if (queue.pending.isEmpty() || !queue.active.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                readTogether(queue.partition, group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.forEach(Request::abandon);
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "replay of partition %d for %d clients failed", queue.partition, group.size());
                discardReader();
                group.forEach(request -> request.fail(e));
            }
        }
    }

    /**
     * Replays one group: one read of the partition from the earliest position any of them needs to the latest, each
     * record of their channels encoded once and written to each replay that wants it. A client whose backlog has no
     * room leaves the group and goes on alone at its own pace ({@link #readAlone}), so one slow client does not hold
     * up the others.
     */
    private void readTogether(int p, List<Request> group) throws InterruptedException {
        EventLogReader reader = reader();
        // One reader serves this thread's replays one after the other: assign replaces the previous partition.
        reader.assign(p);
        long oldest = reader.oldest();
        long end = reader.end();
        List<Request> reading = new ArrayList<>();
        for (Request request : group) {
            if (!request.start(oldest, end)) {
                continue;
            }
            if (end - request.from > config.resume().sliceRecords()) {
                submitAlone(request, request.from);
            } else {
                reading.add(request);
            }
        }
        if (reading.isEmpty()) {
            return;
        }
        long from = reading.stream().mapToLong(r -> r.from).min().getAsLong();
        long until = reading.stream().mapToLong(r -> r.until).max().getAsLong();
        reader.seek(from);
        while (!reading.isEmpty() && reader.position() <= until) {
            EventLogReader.Polled polled = reader.poll();
            polled.deleted().ifPresent(deleted -> tellDeleted(p, deleted, reading));
            Map<Request, List<EncodedEvent>> chunks = new HashMap<>();
            for (ConsumerRecord<String, String> record : polled.records()) {
                if (record.offset() > until) {
                    break;
                }
                EncodedEvent encoded = null;
                for (Request request : reading) {
                    if (request.wants(record)) {
                        if (encoded == null) {
                            encoded = encode(record);
                        }
                        if (encoded.frame() != null && request.firstTime(encoded)) {
                            chunks.computeIfAbsent(request, r -> new ArrayList<>()).add(encoded);
                        }
                    }
                }
            }
            for (Map.Entry<Request, List<EncodedEvent>> chunk : chunks.entrySet()) {
                Request request = chunk.getKey();
                List<EncodedEvent> events = chunk.getValue();
                int taken = request.recipient().hasRoom() ? router.writeReplayed(request.subscription, events) : 0;
                if (taken < events.size()) {
                    reading.remove(request);
                    // Read again alone from the first one not taken: those are not sent yet.
                    request.unsent(events.subList(taken, events.size()));
                    submitAlone(request, events.get(taken).offset());
                }
            }
            reading.removeIf(request -> {
                if (request.subscription.isCancelled() || request.recipient().isDropped()) {
                    request.finish();
                    return true;
                }
                return false;
            });
        }
        for (Request request : reading) {
            if (router.handOverHeld(request.subscription)) {
                request.finish();
            } else {
                submitAlone(request, request.until + 1);
            }
        }
    }

    /** A replay that left its group, or never joined one, goes on alone, a slice per turn of its caller. */
    private void submitAlone(Request request, long from) {
        submit(request.caller, () -> readAloneFrom(request, from), List.of(request));
    }

    /** One slice of a replay alone from {@code from}, paced by its client's backlog; then the next, or the end. */
    private void readAloneFrom(Request request, long from) {
        try {
            long next = readAlone(request, from);
            if (next < 0) {
                request.finish();
            } else {
                submitAlone(request, next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abandon();
        } catch (RuntimeException e) {
            LOG.warnf(e, "replay of %s for %s failed", request.subscription.channel(), request.recipient().id());
            discardReader();
            request.fail(e);
        }
    }

    /** Reads a slice; the offset to go on from, or -1 when the replay is over (handed over, cancelled, dropped). */
    private long readAlone(Request request, long start) throws InterruptedException {
        Subscription subscription = request.subscription;
        Recipient recipient = request.recipient();
        EventLogReader reader = reader();
        reader.assign(subscription.partition());
        reader.seek(start);
        Duration drain = config.resume().drainTimeout();
        while (!subscription.isCancelled() && !recipient.isDropped() && reader.position() <= request.until) {
            EventLogReader.Polled polled = reader.poll();
            polled.deleted().ifPresent(deleted -> tellDeleted(subscription.partition(), deleted, List.of(request)));
            List<EncodedEvent> chunk = new ArrayList<>();
            for (ConsumerRecord<String, String> record : polled.records()) {
                if (record.offset() > request.until) {
                    break;
                }
                if (request.wants(record)) {
                    EncodedEvent encoded = encode(record);
                    if (encoded.frame() != null && request.firstTime(encoded)) {
                        chunk.add(encoded);
                    }
                }
            }
            int done = 0;
            while (done < chunk.size() && !subscription.isCancelled() && !recipient.isDropped()) {
                recipient.awaitRoom(drain);
                done += router.writeReplayed(subscription, chunk.subList(done, chunk.size()));
            }
            long position = reader.position();
            if (position - start >= config.resume().sliceRecords() && position <= request.until && !subscription.isCancelled()
                    && !recipient.isDropped()) {
                return position;
            }
        }
        while (!router.handOverHeld(subscription) && !recipient.isDropped()) {
            recipient.awaitRoom(drain);
        }
        return -1;
    }

    private EncodedEvent encode(ConsumerRecord<String, String> record) {
        Frames.EventFrame frame = frames.event(record.key(), record.value(),
                new Position(record.partition(), record.offset())).orElse(null);
        return new EncodedEvent(record.key(), record.partition(), record.offset(),
                frame == null ? null : TextFrame.shared(frame.bytes()), frame == null ? null : frame.id());
    }

    /**
     * Retention deleted events the replay had not read yet (after {@code oldest()}, or during a slow replay), and the
     * reader went on from the oldest kept event: each client missing some is told, as for an expired {@code since}.
     * (A position beyond the log's end, a truncated log, fails the replay instead: the client is answered not_ready
     * and subscribes again.)
     */
    private void tellDeleted(int p, EventLogReader.Deleted deleted, List<Request> requests) {
        long oldest = deleted.oldest();
        for (Request request : requests) {
            long missedFrom = Math.max(deleted.from(), request.from);
            if (missedFrom >= oldest || request.subscription.isCancelled()) {
                continue;
            }
            LOG.infof("replay of %s for %s: events %s to %s were deleted while it ran", request.subscription.channel(),
                    request.recipient().id(), new Position(p, missedFrom), new Position(p, oldest - 1));
            request.recipient().send(frames.error(ErrorCode.POSITION_EXPIRED, "events " + new Position(p, missedFrom)
                    + " to " + new Position(p, oldest - 1) + " are no longer kept; resuming from the oldest kept event "
                    + new Position(p, oldest), request.ref, request.subscription.channel()));
        }
    }

    private void submit(Object owner, Runnable task, List<Request> requests) {
        try {
            pool.execute(owner, task);
        } catch (RejectedExecutionException e) {
            // Only once the pool is shut down: the gateway is stopping and closes the connections anyway.
            requests.forEach(Request::abandon);
        }
    }

    /** The owner of a partition's reads for a group of replays, which serve many callers at once. */
    private record SharedRead(int partition) {
    }

    /** The replays waiting for one partition, and whether a reader is at work on it. */
    private static final class PartitionQueue {
        final int partition;
        final Queue<Request> pending = new ConcurrentLinkedQueue<>();
        final AtomicBoolean active = new AtomicBoolean();

        PartitionQueue(int partition) {
            this.partition = partition;
        }
    }

    /** One client's replay: what it asked for, and its quota slot, given back once when it ends. */
    private final class Request {
        final Subscription subscription;
        final long since;
        final long liveAfter;
        final String ref;
        final Consumer<Subscription> abandon;
        /** Whose turn its reads alone take (FairReplayPool). */
        final String caller;
        final AtomicBoolean finished = new AtomicBoolean();
        long from;
        long until;
        /** Keyed event ids this replay sent: one replay thread at a time uses it, handed over through the pool. */
        private Set<String> keyedSent;

        Request(Subscription subscription, long since, long liveAfter, String ref, Consumer<Subscription> abandon) {
            this.subscription = subscription;
            this.since = since;
            this.liveAfter = liveAfter;
            this.ref = ref;
            this.abandon = abandon;
            this.caller = CallerRateLimiter.callerOf(subscription.recipient().identity());
        }

        Recipient recipient() {
            return subscription.recipient();
        }

        /**
         * Answers the subscribe (an error, or {@code subscribed} with the position replayed from) and decides the
         * range; false when there is nothing to read.
         */
        boolean start(long oldest, long end) throws InterruptedException {
            int p = subscription.partition();
            String channel = subscription.channel();
            if (subscription.isCancelled()) {
                // Unsubscribed, replaced or closed while it waited, checked after the broker round trips, right
                // before answering: a client that unsubscribed meanwhile gets no stale subscribed frame.
                finish();
                return false;
            }
            if (since >= end) {
                recipient().send(frames.error(ErrorCode.BAD_REQUEST, "since: position " + new Position(p, since)
                        + " is ahead of the log; subscribe without since", ref, channel));
                abandon();
                return false;
            }
            from = since + 1;
            long allowed = Math.max(oldest, end - config.resume().maxRecordsBack());
            if (from < allowed) {
                String why = allowed == oldest ? "are no longer kept; resuming from the oldest kept event "
                        : "are further back than the gateway replays (" + config.resume().maxRecordsBack()
                                + " records of the partition); resuming from the oldest position it replays, ";
                recipient().send(frames.error(ErrorCode.POSITION_EXPIRED, "events after " + new Position(p, since)
                        + " " + why + new Position(p, allowed), ref, channel));
                from = allowed;
                subscription.startAfter(from - 1);
            }
            recipient().send(frames.subscribed(channel, from > 0 ? new Position(p, from - 1) : null));
            until = liveAfter != PartitionProgress.UNKNOWN ? liveAfter : progress.awaitKnown(p, ASSIGNMENT_WAIT);
            if (until == PartitionProgress.UNKNOWN) {
                recipient().send(frames.error(ErrorCode.NOT_READY, "the gateway is still connecting to Kafka; "
                        + "subscribe again", ref, channel));
                abandon();
                return false;
            }
            return true;
        }

        /** False for a repeat of a keyed event this replay already sent (a copy the log holds twice). */
        boolean firstTime(EncodedEvent event) {
            if (!EventIds.isKeyed(event.id())) {
                return true;
            }
            if (keyedSent == null) {
                keyedSent = new HashSet<>();
            }
            return keyedSent.add(event.id());
        }

        /** Events chosen for this replay that it did not send after all: a later read may send them. */
        void unsent(List<EncodedEvent> events) {
            if (keyedSent != null) {
                events.forEach(event -> keyedSent.remove(event.id()));
            }
        }

        boolean wants(ConsumerRecord<String, String> record) {
            return record.offset() >= from && record.offset() <= until && !subscription.isCancelled()
                    && subscription.channel().equals(record.key());
        }

        void fail(RuntimeException e) {
            recipient().send(frames.error(ErrorCode.NOT_READY, "replay failed: " + e.getMessage() + "; subscribe again",
                    ref, subscription.channel()));
            abandon();
        }

        void abandon() {
            abandon.accept(subscription);
            finish();
        }

        void finish() {
            if (finished.compareAndSet(false, true)) {
                quota.release(recipient().id());
            }
        }
    }

    /** This pool thread's reader, made on its first replay. */
    private EventLogReader reader() {
        EventLogReader reader = threadReaders.get();
        if (reader == null) {
            reader = readers.open("gateway-replay");
            threadReaders.set(reader);
            allReaders.add(reader);
        }
        return reader;
    }

    /** After a failed replay the reader's state is unknown: the thread's next replay makes a new one. */
    private void discardReader() {
        EventLogReader reader = threadReaders.get();
        if (reader != null) {
            threadReaders.remove();
            allReaders.remove(reader);
            reader.close();
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
        // Closed from here, not their threads: a Kafka consumer may be closed from any thread once none uses it.
        EventLogReader reader;
        while ((reader = allReaders.poll()) != null) {
            reader.close();
        }
    }
}
