package io.eventfeeds.feed.publish;

import io.eventfeeds.eventlog.EventLogAppender;
import io.eventfeeds.eventlog.PendingAppend;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.problem.Problem;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Writes one event to the event log, and answers only what is true: 202 once Kafka acknowledged it; 503
 * {@code event-log-unavailable} when it is not in the log and never will be (refused while Kafka is away, or not
 * taken by the producer within {@code feeds.publish.hand-over-timeout} and abandoned); 503
 * {@code event-outcome-unknown} when the producer took it but Kafka did not confirm it. No queue outlives the
 * answer: an abandoned event never enters the producer ({@link PendingAppend#abandon()}).
 */
@ApplicationScoped
public class EventLogWriter {

    private static final Logger LOG = Logger.getLogger(EventLogWriter.class);

    private final EventLogAppender log;
    private final PublishConfig config;
    private final EventLogOutage outage;

    public EventLogWriter(EventLogAppender log, PublishConfig config, EventLogOutage outage) {
        this.log = log;
        this.config = config;
        this.outage = outage;
    }

    /** Sends the event when the Uni is subscribed, so that callers order their events by subscribing in order. */
    public Uni<AcceptedEvent> write(EventEnvelope event) {
        return Uni.createFrom().deferred(() -> send(event));
    }

    private Uni<AcceptedEvent> send(EventEnvelope event) {
        EventLogOutage.Admission admission = outage.admit();
        if (admission == EventLogOutage.Admission.REFUSED) {
            return Uni.createFrom().failure(notWritten("Kafka is unreachable; the event was not written, retry later",
                    null));
        }
        PendingAppend pending = log.start(event);
        Duration handOver = config.handOverTimeout();
        Duration rest = config.ackTimeout().minus(handOver);
        Uni<AcceptedEvent> answer = pending.acknowledged()
                .ifNoItem().after(handOver).recoverWithUni(() -> {
                    // Kafka answers in milliseconds when it is there: from now on, others are refused at once.
                    outage.missed();
                    return pending.abandon()
                            ? Uni.createFrom().failure(new TimeoutException())
                            : pending.acknowledged().ifNoItem().after(rest).fail();
                })
                .map(position -> new AcceptedEvent(event.id(), event.channel(), position.toString(), event.ts()))
                .onItem().invoke(outage::reached)
                .onFailure().transform(failure -> refused(event, pending, failure));
        return admission == EventLogOutage.Admission.PROBE ? answer.onFailure().invoke(outage::probed) : answer;
    }

    private ProblemException refused(EventEnvelope event, PendingAppend pending, Throwable failure) {
        if (!pending.handedOver()) {
            LOG.debugf("event %s to %s not written: %s", event.id(), event.channel(), failure.toString());
            return notWritten("Kafka did not take the event; it was not written, retry later", failure);
        }
        LOG.warnf("event %s to %s not confirmed by Kafka: %s", event.id(), event.channel(), failure.toString());
        Uni<AcceptedEvent> settlement = pending.settled() ? null : pending.acknowledged()
                .map(position -> new AcceptedEvent(event.id(), event.channel(), position.toString(), event.ts()));
        return new OutcomeUnknownException(Problem.of(FeedProblemType.EVENT_OUTCOME_UNKNOWN,
                "Kafka took the event but did not confirm it: it may be in the log. Retry with the same"
                        + " Idempotency-Key to get its outcome; a keyed event keeps its id", null),
                config.retryAfter(), failure, settlement);
    }

    private ProblemException notWritten(String detail, Throwable cause) {
        return new ProblemException(Problem.of(FeedProblemType.EVENT_LOG_UNAVAILABLE, detail, null),
                config.retryAfter(), cause);
    }
}
