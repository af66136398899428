package io.eventfeeds.feed.publish;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Remembers, per caller and {@code Idempotency-Key}, the publish a key started, so that a retried POST gets the
 * first answer instead of writing a duplicate. The in-flight Uni itself is memoized, so retries that arrive while
 * the first write still waits for Kafka share that one write. A publish that was not written is forgotten, so the
 * client may retry it. One whose outcome is unknown (Kafka took it but had not confirmed it when the answer went) is
 * remembered until Kafka's answer comes: a retry meanwhile waits for that answer, and gets 202 with the original
 * position when it is a success, instead of writing a second copy. The memory is per instance (a bounded Caffeine
 * cache); docs/events.md says so. Batch events carry their own keys ({@code idempotency_key}) and go through here
 * one by one, so a retried batch writes only the events that were not accepted the first time.
 */
@ApplicationScoped
public class IdempotentPublishes {

    private final Cache<String, Entry> entries;
    private final int maxKeyLength;

    public IdempotentPublishes(PublishConfig config) {
        this.entries = Caffeine.newBuilder().maximumSize(config.idempotency().maxKeys())
                .expireAfterWrite(config.idempotency().window()).build();
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
        String cacheKey = caller + "\n" + key;
        Entry fresh = new Entry(cacheKey, fingerprint, publish);
        Entry entry = entries.asMap().computeIfAbsent(cacheKey, k -> fresh);
        if (!entry.fingerprint.equals(fingerprint)) {
            return Uni.createFrom().failure(new ProblemException(FeedProblemType.IDEMPOTENCY_KEY_REUSED,
                    "this " + field + " was used for a different request within the idempotency window", field));
        }
        return entry.result;
    }

    /** What a request asked for: the channel and the request's bytes, hashed. */
    public static String fingerprint(String channel, byte[] request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(channel.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(request));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A remembered publish: lazy until the first subscriber, then shared by every retry. */
    private final class Entry {
        private final String fingerprint;
        private final Uni<AcceptedEvent> result;

        Entry(String cacheKey, String fingerprint, Supplier<Uni<AcceptedEvent>> publish) {
            this.fingerprint = fingerprint;
            this.result = Uni.createFrom().<AcceptedEvent>deferred(publish::get)
                    .onFailure().invoke(failure -> {
                        Uni<AcceptedEvent> settlement = failure instanceof OutcomeUnknownException unknown
                                ? unknown.settlement() : null;
                        if (settlement == null) {
                            entries.asMap().remove(cacheKey, this);
                        } else {
                            Entry awaiting = new Entry(cacheKey, fingerprint, () -> settlement.onFailure()
                                    .transform(((OutcomeUnknownException) failure)::settled));
                            if (entries.asMap().replace(cacheKey, this, awaiting)) {
                                // Subscribed now, so that the entry is settled (kept or forgotten) when Kafka answers,
                                // whether or not anyone retries.
                                awaiting.result.subscribe().with(ignored -> { }, ignored -> { });
                            }
                        }
                    })
                    .memoize().indefinitely();
        }
    }
}
