package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.eventlog.NewEvents;
import io.eventfeeds.eventlog.Publisher;
import io.eventfeeds.events.ChannelName;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.channels.ChannelPolicy;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one way into the event log, for REST publishers and the demo feed alike: checks the channel against the
 * channel policy and the caller's write permission, stamps id, time and publisher ({@link NewEvents}), and writes
 * through {@link EventLogWriter}. Refusals fail the Uni with a {@link ProblemException}.
 */
@ApplicationScoped
public class EventPublisher {

    private final ChannelPolicy policy;
    private final EventLogWriter writer;
    private final PublishMetrics metrics;

    public EventPublisher(ChannelPolicy policy, EventLogWriter writer, PublishMetrics metrics) {
        this.policy = policy;
        this.writer = writer;
        this.metrics = metrics;
    }

    /**
     * @param field how the request names the channel, for the problem body ({@code channel} or {@code events[i].channel})
     */
    public Uni<AcceptedEvent> publish(String channel, String field, String type, JsonNode data, SecurityIdentity caller) {
        return publish(channel, field, type, data, caller, null);
    }

    /**
     * @param idempotencyKey the caller's key for this event, or null. A keyed event's id is derived from the caller
     *                       and the key, so every copy of it (a retry after an unknown outcome, a resend after a lost
     *                       acknowledgement) carries the same id, and readers can tell copies apart from new events.
     */
    public Uni<AcceptedEvent> publish(String channel, String field, String type, JsonNode data, SecurityIdentity caller,
            String idempotencyKey) {
        long start = System.nanoTime();
        EventEnvelope event;
        try {
            event = envelope(channel, field, type, data, caller, idempotencyKey);
        } catch (ProblemException e) {
            metrics.refused(slug(e));
            return Uni.createFrom().failure(e);
        }
        return writer.write(event)
                .onItem().invoke(() -> metrics.accepted(start))
                .onFailure(ProblemException.class).invoke(failure -> metrics.refused(slug((ProblemException) failure)));
    }

    private static String slug(ProblemException e) {
        return e.problem().type().substring(e.problem().type().lastIndexOf('/') + 1);
    }

    private EventEnvelope envelope(String channel, String field, String type, JsonNode data, SecurityIdentity caller,
            String idempotencyKey) {
        ChannelPolicy.Lookup lookup = policy.lookup(channel);
        if (!lookup.found()) {
            throw new ProblemException(lookup.problem() == ChannelPolicy.Problem.UNKNOWN_NAMESPACE
                    ? FeedProblemType.UNKNOWN_NAMESPACE : FeedProblemType.INVALID_CHANNEL, lookup.reason(), field);
        }
        ChannelName name = lookup.channel();
        if (!policy.mayWrite(caller, name)) {
            throw new ProblemException(FeedProblemType.FORBIDDEN_CHANNEL,
                    "the caller may not publish to namespace '" + name.namespace() + "'", field);
        }
        return NewEvents.envelope(new Publisher(ChannelPolicy.subjectOf(caller), caller.getPrincipal().getName()), name,
                type, data, idempotencyKey);
    }
}
