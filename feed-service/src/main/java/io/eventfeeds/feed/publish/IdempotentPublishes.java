package io.eventfeeds.feed.publish;

import io.eventfeeds.eventlog.KeyedWrites;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Remembers, per caller and {@code Idempotency-Key}, the publish a key started, so that a retried POST gets the
 * first answer instead of writing a duplicate: event-log's {@link KeyedWrites}, with HTTP's refusals. A publish
 * that was not written is forgotten, so the client may retry it; one whose outcome is unknown is remembered until
 * Kafka's answer comes, and a retry meanwhile gets that answer. The memory is per instance; docs/events.md says so.
 * Batch events carry their own keys ({@code idempotency_key}) and go through here one by one, so a retried batch
 * writes only the events that were not accepted the first time.
 */
@ApplicationScoped
public class IdempotentPublishes {

    private final KeyedWrites<AcceptedEvent> writes;
    private final int maxKeyLength;

    public IdempotentPublishes(PublishConfig config) {
        this.writes = new KeyedWrites<>(config.idempotency().maxKeys(), config.idempotency().window(),
                IdempotentPublishes::settlement);
        this.maxKeyLength = config.idempotency().maxKeyLength();
    }

    /**
     * @param caller      who publishes; keys of different callers never meet
     * @param key         the client's Idempotency-Key
     * @param fingerprint what the request asked for, so a key reused for another request is refused
     */
    public Uni<AcceptedEvent> once(String caller, String key, String fingerprint, Supplier<Uni<AcceptedEvent>> publish) {
        return once(caller, key, "Idempotency-Key", fingerprint, publish);
    }

    /** As {@link #once(String, String, String, Supplier)}, naming {@code field} in refusals (a batch event's key). */
    public Uni<AcceptedEvent> once(String caller, String key, String field, String fingerprint,
            Supplier<Uni<AcceptedEvent>> publish) {
        if (key.isBlank() || key.length() > maxKeyLength) {
            return Uni.createFrom().failure(new ProblemException(FeedProblemType.INVALID_FIELD,
                    field + " must be 1 to " + maxKeyLength + " characters", field));
        }
        return writes.once(caller + "\n" + key, fingerprint, publish)
                .orElseGet(() -> Uni.createFrom().failure(new ProblemException(FeedProblemType.IDEMPOTENCY_KEY_REUSED,
                        "this " + field + " was used for a different request within the idempotency window", field)));
    }

    /** What a request asked for: the channel and the request's bytes, hashed. */
    public static String fingerprint(String channel, byte[] request) {
        return KeyedWrites.fingerprint(channel, request);
    }

    /** Kafka's answer still to come for a publish in doubt; once it fails too, the outcome stays unknown. */
    private static Uni<AcceptedEvent> settlement(Throwable failure) {
        if (failure instanceof OutcomeUnknownException unknown && unknown.settlement() != null) {
            return unknown.settlement().onFailure().transform(unknown::settled);
        }
        return null;
    }
}
