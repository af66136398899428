package io.eventfeeds.feed.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Publish bodies from random bytes and from mutations of valid bodies: each is read, or refused with a 4xx
 * problem; nothing else escapes (#13, fuzzing).
 */
class EventBodiesProperties {

    private static final Set<String> BODY_PROBLEMS = Set.of(FeedProblemType.INVALID_JSON.slug(),
            FeedProblemType.MISSING_BODY.slug(), FeedProblemType.INVALID_FIELD.slug(),
            FeedProblemType.TOO_LARGE.slug());
    private static final long MAX = 64 * 1024;

    private final EventBodies bodies = new EventBodies(new ObjectMapper(), new DefaultPublishConfig());

    @Property(tries = 2000)
    void anyBytesAreReadOrRefusedWithABodyProblem(@ForAll("bodies") byte[] body) {
        readOrRefuse(() -> bodies.event(bodies.parse(body, MAX)));
    }

    @Property(tries = 2000)
    void anyBatchBytesAreReadOrRefusedWithABodyProblem(@ForAll("batches") byte[] body) {
        readOrRefuse(() -> {
            JsonNode batch = bodies.parse(body, MAX);
            JsonNode events = batch.path("events");
            for (int i = 0; i < events.size(); i++) {
                bodies.batchEvent(events.get(i), "events[" + i + "].");
            }
            return batch;
        });
    }

    private static void readOrRefuse(java.util.function.Supplier<Object> read) {
        try {
            assertThat(read.get()).isNotNull();
        } catch (ProblemException e) {
            assertThat(e.problem().status()).isBetween(400, 499);
            String type = e.problem().type();
            assertThat(type.substring(type.lastIndexOf('/') + 1)).isIn(BODY_PROBLEMS);
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                mutated("{\"type\":\"score\",\"data\":{\"home\":1,\"away\":[2,\"x\"]}}"));
    }

    @Provide
    Arbitrary<byte[]> batches() {
        return mutated("{\"events\":[{\"channel\":\"scores:a\",\"type\":\"t\",\"data\":1,\"idempotency_key\":\"k\"},"
                + "{\"channel\":\"stocks:b\",\"data\":{\"p\":1.5}}]}");
    }

    /** A valid body with one byte replaced, inserted or removed somewhere. */
    private static Arbitrary<byte[]> mutated(String valid) {
        byte[] original = valid.getBytes(StandardCharsets.UTF_8);
        return Arbitraries.integers().between(0, original.length - 1).flatMap(at -> Arbitraries.bytes()
                .flatMap(b -> Arbitraries.of(0, 1, 2).map(kind -> {
                    byte[] copy;
                    switch (kind) {
                        case 0 -> {
                            copy = original.clone();
                            copy[at] = b;
                        }
                        case 1 -> {
                            copy = new byte[original.length + 1];
                            System.arraycopy(original, 0, copy, 0, at);
                            copy[at] = b;
                            System.arraycopy(original, at, copy, at + 1, original.length - at);
                        }
                        default -> {
                            copy = new byte[original.length - 1];
                            System.arraycopy(original, 0, copy, 0, at);
                            System.arraycopy(original, at + 1, copy, at, original.length - at - 1);
                        }
                    }
                    return copy;
                })));
    }
}
