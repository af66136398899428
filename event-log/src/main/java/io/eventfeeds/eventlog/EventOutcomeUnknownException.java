package io.eventfeeds.eventlog;

import io.eventfeeds.events.Position;
import io.smallrye.mutiny.Uni;

/**
 * The producer took the event but Kafka did not confirm it in time: it may be in the log. Carries Kafka's answer
 * still to come, if any, so that a retry with the same idempotency key can wait for that answer instead of writing
 * again ({@link KeyedWrites}).
 */
public final class EventOutcomeUnknownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Uni<Position> settlement;

    EventOutcomeUnknownException(String message, Throwable cause, Uni<Position> settlement) {
        super(message, cause);
        this.settlement = settlement;
    }

    /**
     * For {@link KeyedWrites} of positions: Kafka's answer still to come for a write in doubt, failing with this
     * outcome-unknown once Kafka failed the event too; null for any other failure, which is final.
     */
    public static Uni<Position> settlementOf(Throwable failure) {
        if (failure instanceof EventOutcomeUnknownException unknown && unknown.settlement != null) {
            return unknown.settlement.onFailure().transform(late -> new EventOutcomeUnknownException(
                    unknown.getMessage(), late, null));
        }
        return null;
    }

    /** Kafka's answer once it comes; null when it came already (a failure: the outcome stays unknown). */
    public Uni<Position> settlement() {
        return settlement;
    }
}
