package io.eventfeeds.feed.publish;

import io.eventfeeds.eventlog.BoundedAppender;
import io.eventfeeds.eventlog.EventLogAppender;
import io.eventfeeds.eventlog.EventLogOutage;
import io.eventfeeds.eventlog.EventOutcomeUnknownException;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.Position;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes one event to the event log and answers what event-log's {@link BoundedAppender} found out, as HTTP does:
 * 202 once Kafka acknowledged it; 503 {@code event-log-unavailable} when it is not in the log and never will be; 503
 * {@code event-outcome-unknown} when the producer took it but Kafka did not confirm it ({@link OutcomeUnknownException},
 * which a retry with the same key waits on). The timings are
 * {@code feeds.publish.hand-over-timeout}, {@code ack-timeout} and {@code outage-probe-interval}.
 */
@ApplicationScoped
public class EventLogWriter {

    private final BoundedAppender appender;
    private final PublishConfig config;

    public EventLogWriter(EventLogAppender log, PublishConfig config) {
        this.appender = new BoundedAppender(log, new EventLogOutage(config.outageProbeInterval()),
                config.handOverTimeout(), config.ackTimeout());
        this.config = config;
    }

    /** Sends the event when the Uni is subscribed, so that callers order their events by subscribing in order. */
    public Uni<AcceptedEvent> write(EventEnvelope event) {
        return appender.append(event)
                .map(position -> accepted(event, position))
                .onFailure().transform(failure -> refused(event, failure));
    }

    private static AcceptedEvent accepted(EventEnvelope event, Position position) {
        return new AcceptedEvent(event.id(), event.channel(), position.toString(), event.ts());
    }

    private ProblemException refused(EventEnvelope event, Throwable failure) {
        if (failure instanceof EventOutcomeUnknownException unknown) {
            Uni<AcceptedEvent> settlement = unknown.settlement() == null ? null
                    : unknown.settlement().map(position -> accepted(event, position));
            return new OutcomeUnknownException(Problem.of(FeedProblemType.EVENT_OUTCOME_UNKNOWN,
                    "Kafka took the event but did not confirm it: it may be in the log. Retry with the same"
                            + " Idempotency-Key to get its outcome; a keyed event keeps its id", null),
                    config.retryAfter(), failure, settlement);
        }
        // BoundedAppender fails with one of its two exceptions: this is an EventNotWrittenException.
        return new ProblemException(Problem.of(FeedProblemType.EVENT_LOG_UNAVAILABLE, failure.getMessage(), null),
                config.retryAfter(), failure);
    }
}
