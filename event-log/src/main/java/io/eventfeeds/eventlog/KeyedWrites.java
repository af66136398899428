package io.eventfeeds.eventlog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Remembers, per idempotency key, the write a key started, so that a retry gets the first answer instead of writing
 * a duplicate. The in-flight Uni itself is memoized, so retries that arrive while the first write still waits for
 * Kafka share that one write. A write that failed for good (not written, or Kafka failed it) is forgotten, so the
 * client may retry it. One whose outcome is unknown (Kafka took it but had not confirmed it when the answer went) is
 * remembered until Kafka's answer comes: a retry meanwhile waits for that answer, and gets the original success
 * instead of writing a second copy. The memory is per instance (a bounded cache). feed-service (Idempotency-Key,
 * a batch event's key) and the gateway (a publish frame's {@code idempotency_key}) each hold one.
 *
 * @param <T> what a write answers
 */
public final class KeyedWrites<T> {

    private final Cache<String, Entry> entries;
    private final Function<Throwable, Uni<T>> settlementOf;

    /**
     * @param settlementOf for a failed write, the Uni that settles it once Kafka answers (failing with what a retry
     *                     should then be told), or null when the failure is final
     */
    public KeyedWrites(long maxKeys, Duration window, Function<Throwable, Uni<T>> settlementOf) {
        this.entries = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterWrite(window).build();
        this.settlementOf = settlementOf;
    }

    /**
     * The answer of the write {@code key} started (or of {@code write}, if none is remembered); empty when the key was
     * used for another request (its {@code fingerprint} differs) within the window.
     *
     * @param key a key that already names its owner: keys of different callers must never meet
     */
    public Optional<Uni<T>> once(String key, String fingerprint, Supplier<Uni<T>> write) {
        Entry fresh = new Entry(key, fingerprint, write);
        Entry entry = entries.asMap().computeIfAbsent(key, k -> fresh);
        return entry.fingerprint.equals(fingerprint) ? Optional.of(entry.result) : Optional.empty();
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

    /** A remembered write: lazy until the first subscriber, then shared by every retry. */
    private final class Entry {
        private final String fingerprint;
        private final Uni<T> result;

        Entry(String key, String fingerprint, Supplier<Uni<T>> write) {
            this.fingerprint = fingerprint;
            this.result = Uni.createFrom().<T>deferred(write::get)
                    .onFailure().invoke(failure -> {
                        Uni<T> settlement = settlementOf.apply(failure);
                        if (settlement == null) {
                            entries.asMap().remove(key, this);
                        } else {
                            Entry awaiting = new Entry(key, fingerprint, () -> settlement);
                            if (entries.asMap().replace(key, this, awaiting)) {
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
