package io.eventfeeds.feed.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.events.ChannelName;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.feed.problem.ProblemType;
import io.eventfeeds.security.channels.ChannelPolicy;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The one way into the event log, for REST publishers and the demo feed alike: checks the channel against the
 * channel policy and the caller's write permission, stamps id, time and publisher, and writes through
 * {@link EventLogWriter}. Refusals fail the Uni with a {@link ProblemException}.
 */
@ApplicationScoped
public class EventPublisher {

    /** Longest event type; request bodies are checked against it ({@link EventBodies}). */
    public static final int MAX_TYPE_LENGTH = 128;

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
        long start = System.nanoTime();
        EventEnvelope event;
        try {
            event = envelope(channel, field, type, data, caller);
        } catch (ProblemException e) {
            metrics.refused(e.problem().type().substring(e.problem().type().lastIndexOf('/') + 1));
            return Uni.createFrom().failure(e);
        }
        return writer.write(event)
                .onItem().invoke(() -> metrics.accepted(start))
                .onFailure(ProblemException.class).invoke(() -> metrics.refused(ProblemType.EVENT_LOG_UNAVAILABLE.slug()));
    }

    private EventEnvelope envelope(String channel, String field, String type, JsonNode data, SecurityIdentity caller) {
        ChannelPolicy.Lookup lookup = policy.lookup(channel);
        if (!lookup.found()) {
            throw new ProblemException(lookup.problem() == ChannelPolicy.Problem.UNKNOWN_NAMESPACE
                    ? ProblemType.UNKNOWN_NAMESPACE : ProblemType.INVALID_CHANNEL, lookup.reason(), field);
        }
        ChannelName name = lookup.channel();
        if (!policy.mayWrite(caller, name)) {
            throw new ProblemException(ProblemType.FORBIDDEN_CHANNEL,
                    "the caller may not publish to namespace '" + name.namespace() + "'", field);
        }
        return new EventEnvelope(UUID.randomUUID().toString(), name.toString(), type, data, System.currentTimeMillis(),
                caller.getPrincipal().getName());
    }
}
