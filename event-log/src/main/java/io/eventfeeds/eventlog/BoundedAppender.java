package io.eventfeeds.eventlog;

import io.eventfeeds.events.EventEnvelope;
import io.eventfeeds.events.Position;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Appends one event and tells only what is true about it: its position once Kafka acknowledged it; an
 * {@link EventNotWrittenException} when it is not in the log and never will be (refused while Kafka is away, or not
 * taken by the producer within the hand-over timeout and abandoned); an {@link EventOutcomeUnknownException} when the
 * producer took it but Kafka did not confirm it within the acknowledgement timeout. No queue outlives the answer: an
 * abandoned event never enters the producer ({@link PendingAppend#abandon()}). Both services' publish paths (REST
 * and WebSocket) write through one of these, so they classify a failure the same way.
 */
public final class BoundedAppender {

    private static final Logger LOG = Logger.getLogger(BoundedAppender.class);

    private final EventLogAppender log;
    private final EventLogOutage outage;
    private final Duration handOver;
    private final Duration ackTimeout;

    /**
     * @param handOver   how long an event may wait for the producer to take it; it takes one in milliseconds unless
     *                   the broker is away or its buffer is full
     * @param ackTimeout how long in all to wait for Kafka's acknowledgement; slightly longer than the producer's
     *                   {@code delivery.timeout.ms}, which normally answers first
     */
    public BoundedAppender(EventLogAppender log, EventLogOutage outage, Duration handOver, Duration ackTimeout) {
        this.log = log;
        this.outage = outage;
        this.handOver = handOver;
        this.ackTimeout = ackTimeout;
    }

    /**
     * Sends the event when the Uni is subscribed, so that callers order their events by subscribing in order. Fails
     * only with an {@link EventNotWrittenException} or an {@link EventOutcomeUnknownException}.
     */
    public Uni<Position> append(EventEnvelope event) {
        return Uni.createFrom().deferred(() -> send(event));
    }

    private Uni<Position> send(EventEnvelope event) {
        EventLogOutage.Admission admission = outage.admit();
        if (admission == EventLogOutage.Admission.REFUSED) {
            return Uni.createFrom().failure(new EventNotWrittenException(
                    "Kafka is unreachable; the event was not written, retry later", null));
        }
        PendingAppend pending;
        try {
            pending = log.start(event);
        } catch (RuntimeException e) {
            // Before a record existed, so before the producer could take one.
            if (admission == EventLogOutage.Admission.PROBE) {
                outage.probed();
            }
            return Uni.createFrom().failure(new EventNotWrittenException("the event was not written: " + e, e));
        }
        Duration rest = ackTimeout.minus(handOver);
        Uni<Position> answer = pending.acknowledged()
                .ifNoItem().after(handOver).recoverWithUni(() -> {
                    // Kafka answers in milliseconds when it is there: from now on, others are refused at once.
                    outage.missed();
                    return pending.abandon()
                            ? Uni.createFrom().failure(new TimeoutException())
                            : pending.acknowledged().ifNoItem().after(rest).fail();
                })
                .onItem().invoke(outage::reached)
                .onFailure().transform(failure -> classify(event, pending, failure));
        return admission == EventLogOutage.Admission.PROBE ? answer.onFailure().invoke(outage::probed) : answer;
    }

    private RuntimeException classify(EventEnvelope event, PendingAppend pending, Throwable failure) {
        if (!pending.handedOver()) {
            LOG.debugf("event %s to %s not written: %s", event.id(), event.channel(), failure.toString());
            return new EventNotWrittenException("Kafka did not take the event; it was not written, retry later",
                    failure);
        }
        LOG.warnf("event %s to %s not confirmed by Kafka: %s", event.id(), event.channel(), failure.toString());
        return new EventOutcomeUnknownException("Kafka took the event but did not confirm it: it may be in the log",
                failure, pending.settled() ? null : pending.acknowledged());
    }
}
