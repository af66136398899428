package io.eventfeeds.gateway.fanout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The fan-out of one event loop: its connections, its channel -> subscriptions index, and how far it has delivered
 * each partition. Only its event loop touches it, so delivery takes no lock and no shared atomic per frame. The
 * consumer hands each poll batch to every shard once; a shard writes each event's shared frame to its subscribers
 * without flushing and flushes each connection it wrote to once at the end of the batch.
 *
 * <p>Because subscribing runs on the same loop, a subscription registered here sees exactly the events after
 * {@link #lastDispatched}: the subscribed position is exact and a replay's hand-over to live delivery has no gap.
 */
final class FanoutShard {

    private final Executor loop;
    private final Map<String, ArrayList<Subscription>> byChannel = new HashMap<>();
    private final Set<Recipient> recipients = new LinkedHashSet<>();
    private final ArrayList<Recipient> touched = new ArrayList<>();
    private long[] lastDispatched = new long[0];
    private volatile int subscriptions;

    FanoutShard(Executor loop) {
        this.loop = loop;
    }

    Executor loop() {
        return loop;
    }

    /** Live delivery of these partitions starts after the given offsets (a new assignment). */
    void assigned(Map<Integer, Long> lastBefore) {
        lastBefore.forEach((partition, offset) -> {
            long known = lastDispatched(partition);
            if (known == PartitionProgress.UNKNOWN || known < offset) {
                ensure(partition);
                lastDispatched[partition] = offset;
            }
        });
    }

    /** The last offset this shard delivered on the partition (-1: none yet), or {@link PartitionProgress#UNKNOWN}. */
    long lastDispatched(int partition) {
        return partition < lastDispatched.length ? lastDispatched[partition] : PartitionProgress.UNKNOWN;
    }

    /**
     * Delivers one poll batch in order. {@code broadcastAudience} gives, for a channel whose events reach every
     * connection, who may receive them (null for an ordinary channel). Returns the frames written.
     */
    int deliver(List<EncodedEvent> batch, Function<String, Predicate<Recipient>> broadcastAudience) {
        long now = System.currentTimeMillis();
        int written = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            EncodedEvent event = batch.get(i);
            int partition = event.partition();
            ensure(partition);
            if (event.offset() > lastDispatched[partition]) {
                lastDispatched[partition] = event.offset();
            }
            if (event.frame() == null || event.channel() == null) {
                continue;
            }
            ArrayList<Subscription> subscribers = byChannel.get(event.channel());
            if (subscribers != null) {
                for (int s = 0, count = subscribers.size(); s < count; s++) {
                    Subscription subscription = subscribers.get(s);
                    // A record of the channel on another partition than the channel's own (a producer with its own
                    // partitioner, or a topic whose partition count changed) is not in the log a resume reads, and
                    // its offset counts in another partition: it would be dropped, or worse, move lastSent past
                    // events still to come. Subscribers get exactly the channel's partition.
                    if (subscription.partition() == partition
                            && subscription.offerLive(event.offset(), event.frame(), now)) {
                        written++;
                        touched(subscription.recipient());
                    }
                }
            }
            Predicate<Recipient> audience = broadcastAudience.apply(event.channel());
            if (audience != null) {
                written += broadcast(event, audience, now);
            }
        }
        flushTouched();
        return written;
    }

    /** To every connection not subscribed to the channel (subscribers got it already) that may read it. */
    private int broadcast(EncodedEvent event, Predicate<Recipient> audience, long now) {
        int written = 0;
        for (Recipient recipient : recipients) {
            if (!recipient.subscriptions().containsKey(event.channel()) && audience.test(recipient)
                    && recipient.write(event.frame(), now)) {
                written++;
                touched(recipient);
            }
        }
        return written;
    }

    void touched(Recipient recipient) {
        if (recipient.touch()) {
            touched.add(recipient);
        }
    }

    void flushTouched() {
        for (int i = 0, n = touched.size(); i < n; i++) {
            touched.get(i).flushBatch();
        }
        touched.clear();
    }

    void attach(Recipient recipient) {
        recipients.add(recipient);
    }

    void detach(Recipient recipient) {
        recipients.remove(recipient);
    }

    void register(Subscription subscription) {
        byChannel.computeIfAbsent(subscription.channel(), c -> new ArrayList<>()).add(subscription);
        subscription.recipient().subscriptions().put(subscription.channel(), subscription);
        subscriptions++;
    }

    void remove(Subscription subscription) {
        subscription.cancel();
        ArrayList<Subscription> subscribers = byChannel.get(subscription.channel());
        if (subscribers != null && subscribers.remove(subscription)) {
            subscriptions--;
            if (subscribers.isEmpty()) {
                byChannel.remove(subscription.channel());
            }
        }
        subscription.recipient().subscriptions().remove(subscription.channel(), subscription);
    }

    int subscriptionCount() {
        return subscriptions;
    }

    private void ensure(int partition) {
        if (partition >= lastDispatched.length) {
            int old = lastDispatched.length;
            lastDispatched = Arrays.copyOf(lastDispatched, partition + 1);
            Arrays.fill(lastDispatched, old, lastDispatched.length, PartitionProgress.UNKNOWN);
        }
    }
}
