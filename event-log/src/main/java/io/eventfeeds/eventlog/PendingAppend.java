package io.eventfeeds.eventlog;

import io.eventfeeds.events.Position;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;

/**
 * One event on its way into the log: Kafka's answer once it comes, and what is known meanwhile. A caller that
 * cannot wait any longer calls {@link #abandon()}: when it returns true the event was never handed to the producer
 * and never will be, so "not written" is the truth; when false, the producer has it and only its answer tells.
 */
public final class PendingAppend {

    private final OnceOnlyRecord record;
    private final CompletableFuture<Position> acknowledged;

    PendingAppend(OnceOnlyRecord record, CompletableFuture<Position> acknowledged) {
        this.record = record;
        this.acknowledged = acknowledged;
    }

    /** An event that never reached the producer: it failed before (its envelope could not be serialized). */
    static PendingAppend failed(Throwable failure) {
        OnceOnlyRecord nothing = new OnceOnlyRecord(new byte[0]);
        nothing.abandon();
        return new PendingAppend(nothing, CompletableFuture.failedFuture(failure));
    }

    /** The position Kafka acknowledged, or the failure; each subscription waits on the same single send. */
    public Uni<Position> acknowledged() {
        // A dependent stage per subscriber: cancelling one (a timeout) leaves the send and the others alone.
        return Uni.createFrom().completionStage(() -> acknowledged.thenApply(position -> position));
    }

    /** See the class comment: true means the event is not in the log and will not be. */
    public boolean abandon() {
        return record.abandon();
    }

    /** Whether the producer took the event: from then on it may be in the log even without an acknowledgement. */
    public boolean handedOver() {
        return record.handedOver();
    }

    /** The producer's answer has come (either way). */
    public boolean settled() {
        return acknowledged.isDone();
    }
}
