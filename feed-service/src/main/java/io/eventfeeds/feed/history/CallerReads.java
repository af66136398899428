package io.eventfeeds.feed.history;

import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.security.throttle.CallerRateLimiter;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts each caller's history reads in flight and refuses one over {@code feeds.history.max-concurrent-per-caller}
 * with 429, so that one caller cannot hold every Kafka consumer of the pool, nor pile up pages in memory, while
 * other callers wait. Callers are told apart as the rate limiter tells them apart.
 *
 * <p>A slot is given back on an event loop when the answer ends, so nothing here waits: counts change by
 * compare-and-set, and only the map's own bin locks (held for a few instructions) are taken. A caller's entry lives
 * only while it has reads in flight, so the map holds at most the reads in flight: a counter that drops to zero is
 * retired (set to -1) and removed, and a taker that finds a retired counter puts in a fresh one.
 */
@ApplicationScoped
public class CallerReads {

    /** A slot frees when one of the caller's own reads ends, within the read's time budget. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final int RETIRED = -1;

    private final ConcurrentMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final int perCaller;

    public CallerReads(HistoryConfig config) {
        this.perCaller = config.maxConcurrentPerCaller();
    }

    /** A slot for one read of this caller; give it back through {@link ReadSlot}. */
    public ReadSlot take(SecurityIdentity identity) {
        String caller = CallerRateLimiter.callerOf(identity);
        while (true) {
            AtomicInteger count = inFlight.computeIfAbsent(caller, k -> new AtomicInteger());
            int now = count.get();
            if (now == RETIRED) {
                inFlight.remove(caller, count);
                continue;
            }
            if (now >= perCaller) {
                throw new ProblemException(Problem.of(FeedProblemType.TOO_MANY_READS, "this caller already has " + now
                        + " history reads in flight, the most it may have; retry when one has been answered", null),
                        RETRY_AFTER, null);
            }
            if (count.compareAndSet(now, now + 1)) {
                return new ReadSlot(() -> giveBack(caller, count));
            }
        }
    }

    private void giveBack(String caller, AtomicInteger count) {
        if (count.decrementAndGet() == 0 && count.compareAndSet(0, RETIRED)) {
            inFlight.remove(caller, count);
        }
    }
}
