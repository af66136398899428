package io.eventfeeds.gateway.fanout;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Which subscriptions listen to which channel on this gateway instance. */
@ApplicationScoped
public class Subscriptions {

    private final Map<String, Set<Subscription>> byChannel = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    void add(Subscription subscription) {
        byChannel.compute(subscription.channel(), (c, set) -> {
            Set<Subscription> target = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (target.add(subscription)) {
                count.incrementAndGet();
            }
            return target;
        });
    }

    void remove(Subscription subscription) {
        byChannel.computeIfPresent(subscription.channel(), (c, set) -> {
            if (set.remove(subscription)) {
                count.decrementAndGet();
            }
            return set.isEmpty() ? null : set;
        });
    }

    Set<Subscription> of(String channel) {
        return byChannel.getOrDefault(channel, Set.of());
    }

    public int count() {
        return count.get();
    }
}
