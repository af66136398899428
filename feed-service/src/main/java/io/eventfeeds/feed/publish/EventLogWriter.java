package io.eventfeeds.feed.publish;

import io.eventfeeds.eventlog.EventLogAppender;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.feed.problem.Problem;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.feed.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Writes one event to the event log and turns any failure to get Kafka's acknowledgement (broker down, delivery
 * timeout, full emitter buffer, or no answer within {@code feeds.publish.ack-timeout}) into a 503 problem: the caller
 * never hears "accepted" for an event Kafka did not acknowledge.
 */
@ApplicationScoped
public class EventLogWriter {

    private static final Logger LOG = Logger.getLogger(EventLogWriter.class);

    private final EventLogAppender log;
    private final PublishConfig config;

    public EventLogWriter(EventLogAppender log, PublishConfig config) {
        this.log = log;
        this.config = config;
    }

    public Uni<AcceptedEvent> write(EventEnvelope event) {
        return log.append(event)
                .ifNoItem().after(config.ackTimeout()).fail()
                .map(position -> new AcceptedEvent(event.id(), event.channel(), position.toString(), event.ts()))
                .onFailure().transform(failure -> {
                    LOG.warnf("event %s to %s not acknowledged by Kafka: %s", event.id(), event.channel(), failure.toString());
                    return new ProblemException(Problem.of(ProblemType.EVENT_LOG_UNAVAILABLE,
                            "Kafka did not acknowledge the event; it was not accepted, retry later", null),
                            config.retryAfter(), failure);
                });
    }
}
