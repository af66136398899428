package io.eventfeeds.gateway.publish;

import io.eventfeeds.eventlog.BoundedAppender;
import io.eventfeeds.eventlog.EventLogAppender;
import io.eventfeeds.eventlog.EventLogOutage;
import io.eventfeeds.eventlog.EventOutcomeUnknownException;
import io.eventfeeds.eventlog.KeyedWrites;
import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * Writes the events clients publish over the WebSocket, with feed-service's guarantees (event-log's
 * {@link BoundedAppender} and {@link KeyedWrites}): the position once Kafka acknowledged the event, or a failure
 * that says whether it was written. A keyed publish is remembered per caller and key, so a retry gets the first
 * answer, or waits for Kafka's answer to a first publish in doubt, instead of writing again.
 */
@ApplicationScoped
public class ClientPublishes {

    private final BoundedAppender appender;
    private final KeyedWrites<Position> keyed;

    public ClientPublishes(EventLogAppender log, GatewayConfig config) {
        GatewayConfig.Publish publish = config.publish();
        this.appender = new BoundedAppender(log, new EventLogOutage(publish.outageProbeInterval()),
                publish.handOverTimeout(), publish.ackTimeout());
        this.keyed = new KeyedWrites<>(publish.idempotencyMaxKeys(), publish.idempotencyWindow(),
                EventOutcomeUnknownException::settlementOf);
    }

    /**
     * The event's position once Kafka acknowledged it. Fails with event-log's {@code EventNotWrittenException} or
     * {@link EventOutcomeUnknownException}, or with {@link IdempotencyKeyReusedException}.
     *
     * @param caller the publisher's stable identifier: keys of different callers never meet
     * @param key    the client's {@code idempotency_key}, or null
     */
    public Uni<Position> publish(EventEnvelope event, String caller, String key) {
        if (key == null) {
            return appender.append(event);
        }
        // A missing event_type and an empty one are different requests.
        String asked = (event.type() == null ? "-" : "+" + event.type()) + "\n" + event.data();
        return keyed.once(caller + "\n" + key, KeyedWrites.fingerprint(event.channel(),
                        asked.getBytes(StandardCharsets.UTF_8)), () -> appender.append(event))
                .orElseGet(() -> Uni.createFrom().failure(new IdempotencyKeyReusedException()));
    }
}
