package io.eventfeeds.feed.publish;

import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.problem.Problem;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * A 503 for an event the producer took but Kafka did not confirm: it may be in the log. Carries Kafka's answer
 * still to come, if any, so that a retry with the same idempotency key gets that answer instead of writing again.
 */
public final class OutcomeUnknownException extends ProblemException {

    private final transient Uni<AcceptedEvent> settlement;

    OutcomeUnknownException(Problem problem, Duration retryAfter, Throwable cause, Uni<AcceptedEvent> settlement) {
        super(problem, retryAfter, cause);
        this.settlement = settlement;
    }

    /** The same answer once Kafka failed the event too: nothing more will come, the outcome stays unknown. */
    public OutcomeUnknownException settled(Throwable lateFailure) {
        return new OutcomeUnknownException(problem(), retryAfter(), lateFailure, null);
    }

    /** Kafka's answer once it comes; null when it came already (a failure: the outcome stays unknown). */
    public Uni<AcceptedEvent> settlement() {
        return settlement;
    }
}
