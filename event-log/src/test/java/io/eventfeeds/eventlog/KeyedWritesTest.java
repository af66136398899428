package io.eventfeeds.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.events.Position;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gateway's use: positions, with {@link EventOutcomeUnknownException#settlementOf} telling what is in doubt. */
class KeyedWritesTest {

    private final KeyedWrites<Position> writes = new KeyedWrites<>(100, Duration.ofMinutes(10),
            EventOutcomeUnknownException::settlementOf);
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicReference<UniEmitter<? super Position>> pending = new AtomicReference<>();

    private Uni<Position> write() {
        attempts.incrementAndGet();
        return Uni.createFrom().<Position>emitter(pending::set);
    }

    @Test
    void aKeyUsedForAnotherRequestIsRefusedWithoutWriting() {
        writes.once("alice\nk", "f1", this::write).orElseThrow().subscribe().with(p -> { });

        assertThat(writes.once("alice\nk", "f2", this::write)).isEmpty();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aNotWrittenEventIsForgottenSoItsRetryWrites() {
        var first = writes.once("k1", "f", this::write).orElseThrow().subscribeAsCompletionStage();
        pending.get().fail(new EventNotWrittenException("not taken", null));
        assertThat(first).isCompletedExceptionally();

        writes.once("k1", "f", this::write).orElseThrow().subscribe().with(p -> { }, e -> { });
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aRetryWhileTheFirstIsInDoubtGetsKafkasLateAcknowledgementWithoutWritingAgain() {
        CompletableFuture<Position> kafka = new CompletableFuture<>();
        var first = writes.once("k2", "f", this::write).orElseThrow().subscribeAsCompletionStage();
        pending.get().fail(new EventOutcomeUnknownException("in doubt", null,
                Uni.createFrom().completionStage(kafka)));
        assertThat(first).isCompletedExceptionally();

        var retry = writes.once("k2", "f", this::write).orElseThrow().subscribeAsCompletionStage();
        assertThat(retry).isNotDone();
        kafka.complete(new Position(1, 42));

        assertThat(retry.join()).isEqualTo(new Position(1, 42));
        assertThat(attempts).as("no second write").hasValue(1);
    }

    @Test
    void anEventKafkaFailsAfterTheAnswerStaysInDoubtForWaitingRetriesAndIsThenForgotten() {
        CompletableFuture<Position> kafka = new CompletableFuture<>();
        writes.once("k3", "f", this::write).orElseThrow().subscribe().with(p -> { }, e -> { });
        pending.get().fail(new EventOutcomeUnknownException("in doubt", null,
                Uni.createFrom().completionStage(kafka)));
        var retry = writes.once("k3", "f", this::write).orElseThrow().subscribeAsCompletionStage();

        kafka.completeExceptionally(new IllegalStateException("delivery timeout"));

        assertThat(retry).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
                .havingCause().isInstanceOf(EventOutcomeUnknownException.class).withMessage("in doubt");
        writes.once("k3", "f", this::write).orElseThrow().subscribe().with(p -> { }, e -> { });
        assertThat(attempts).as("forgotten: the next retry writes").hasValue(2);
    }
}
