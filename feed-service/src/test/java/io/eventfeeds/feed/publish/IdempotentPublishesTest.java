package io.eventfeeds.feed.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventfeeds.feed.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IdempotentPublishesTest {

    private final IdempotentPublishes publishes = new IdempotentPublishes(new DefaultPublishConfig());
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicReference<UniEmitter<? super AcceptedEvent>> pending = new AtomicReference<>();

    private Uni<AcceptedEvent> write() {
        writes.incrementAndGet();
        return Uni.createFrom().<AcceptedEvent>emitter(pending::set);
    }

    @Test
    void retriesWhileTheFirstWriteIsInFlightShareItAndLaterRetriesGetItsAnswer() {
        var first = publishes.once("alice", "k1", "f", this::write).subscribeAsCompletionStage();
        var second = publishes.once("alice", "k1", "f", this::write).subscribeAsCompletionStage();
        assertThat(writes).hasValue(1);
        assertThat(second).isNotDone();

        AcceptedEvent event = new AcceptedEvent("id-1", "scores:a", "0-1", 1L);
        pending.get().complete(event);

        assertThat(first.join()).isEqualTo(event);
        assertThat(second.join()).isEqualTo(event);
        assertThat(publishes.once("alice", "k1", "f", this::write).await().indefinitely()).isEqualTo(event);
        assertThat(writes).hasValue(1);
    }

    @Test
    void keysOfDifferentCallersNeverMeet() {
        publishes.once("alice", "k", "f", this::write).subscribe().with(e -> { });
        publishes.once("bob", "k", "f", this::write).subscribe().with(e -> { });
        assertThat(writes).hasValue(2);
    }

    @Test
    void aFailedWriteIsForgottenSoTheClientMayRetryIt() {
        var first = publishes.once("alice", "k2", "f", this::write).subscribeAsCompletionStage();
        pending.get().fail(new IllegalStateException("broker down"));
        assertThat(first).isCompletedExceptionally();

        publishes.once("alice", "k2", "f", this::write).subscribe().with(e -> { });
        assertThat(writes).hasValue(2);
    }

    @Test
    void aWriteWhoseOutcomeIsUnknownIsRememberedAndARetryGetsKafkasLateAcknowledgement() {
        var kafka = new java.util.concurrent.CompletableFuture<AcceptedEvent>();
        var first = publishes.once("alice", "k4", "f", this::write).subscribeAsCompletionStage();
        pending.get().fail(unknown(Uni.createFrom().completionStage(kafka)));
        assertThat(first).isCompletedExceptionally();

        var retry = publishes.once("alice", "k4", "f", this::write).subscribeAsCompletionStage();
        assertThat(retry).as("the retry waits for Kafka's answer to the first write").isNotDone();
        AcceptedEvent event = new AcceptedEvent("id-4", "scores:a", "0-4", 4L);
        kafka.complete(event);

        assertThat(retry.join()).isEqualTo(event);
        assertThat(publishes.once("alice", "k4", "f", this::write).await().indefinitely()).isEqualTo(event);
        assertThat(writes).as("no second write").hasValue(1);
    }

    @Test
    void aWriteWhoseOutcomeStaysUnknownIsForgottenOnceKafkaFailsIt() {
        var kafka = new java.util.concurrent.CompletableFuture<AcceptedEvent>();
        publishes.once("alice", "k5", "f", this::write).subscribe().with(e -> { }, e -> { });
        pending.get().fail(unknown(Uni.createFrom().completionStage(kafka)));

        kafka.completeExceptionally(new IllegalStateException("delivery timeout"));

        publishes.once("alice", "k5", "f", this::write).subscribe().with(e -> { }, e -> { });
        assertThat(writes).as("the retry writes again").hasValue(2);
    }

    @Test
    void aWriteKafkaFailedAfterTakingItIsForgotten() {
        publishes.once("alice", "k6", "f", this::write).subscribe().with(e -> { }, e -> { });
        pending.get().fail(unknown(null));

        publishes.once("alice", "k6", "f", this::write).subscribe().with(e -> { }, e -> { });
        assertThat(writes).hasValue(2);
    }

    private static OutcomeUnknownException unknown(Uni<AcceptedEvent> settlement) {
        return new OutcomeUnknownException(io.eventfeeds.security.problem.Problem.of(
                io.eventfeeds.feed.problem.FeedProblemType.EVENT_OUTCOME_UNKNOWN, "in doubt", null),
                Duration.ofSeconds(5), null, settlement);
    }

    @Test
    void aKeyReusedForAnotherRequestIsRefused() {
        publishes.once("alice", "k3", "f", this::write).subscribe().with(e -> { });
        assertThatThrownBy(() -> publishes.once("alice", "k3", "other", this::write).await().indefinitely())
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(422));
        assertThatThrownBy(() -> publishes.once("alice", "x".repeat(300), "f", this::write).await().indefinitely())
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problem().field()).isEqualTo("Idempotency-Key"));
        assertThat(writes).hasValue(1);
    }
}
