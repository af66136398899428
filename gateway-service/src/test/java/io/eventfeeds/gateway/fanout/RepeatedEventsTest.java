package io.eventfeeds.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.events.EventIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatedEventsTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RepeatedEvents repeats = new RepeatedEvents(WINDOW, 1000, nanos::get, registry);

    @Test
    void aKeyedEventIsDeliveredOnceOnItsChannelAndItsCopiesAreCounted() {
        String id = EventIds.keyed("alice", "order-17");

        assertThat(repeats.firstTime("scores:a", id)).isTrue();
        assertThat(repeats.firstTime("scores:a", id)).isFalse();
        assertThat(repeats.firstTime("scores:a", id)).isFalse();

        assertThat(registry.counter("feeds.gateway.repeated.events.dropped").count()).isEqualTo(2);
    }

    @Test
    void theSameKeyedIdOnAnotherChannelIsAnotherEvent() {
        String id = EventIds.keyed("alice", "order-17");

        assertThat(repeats.firstTime("scores:a", id)).isTrue();
        assertThat(repeats.firstTime("scores:b", id)).isTrue();
    }

    @Test
    void eventsWithRandomOrForeignIdsAreNeverTakenForRepeats() {
        String random = EventIds.random();

        assertThat(repeats.firstTime("scores:a", random)).isTrue();
        assertThat(repeats.firstTime("scores:a", random)).as("only keyed ids can repeat in the log").isTrue();
        assertThat(repeats.firstTime("scores:a", "e-1")).isTrue();
        assertThat(repeats.firstTime("scores:a", "e-1")).isTrue();
        assertThat(repeats.firstTime("scores:a", null)).isTrue();
    }

    @Test
    void aCopyAfterTheWindowIsDeliveredAgain() {
        String id = EventIds.keyed("alice", "order-17");
        assertThat(repeats.firstTime("scores:a", id)).isTrue();

        nanos.addAndGet(WINDOW.minusSeconds(1).toNanos());
        assertThat(repeats.firstTime("scores:a", id)).as("within the window").isFalse();

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(repeats.firstTime("scores:a", id)).as("the window counts from the first copy").isTrue();
    }
}
