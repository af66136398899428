package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Random and mutated client frames against the running gateway (#13, fuzzing), with jqwik's generators: every frame
 * gets only documented answers (error frames with documented codes, or the answers of valid ops), a frame that is
 * not a JSON object gets {@code bad_request}, and the connection stays open and answers in order. jqwik's engine
 * cannot start Quarkus, so the generators are sampled here, in a plain Quarkus test.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FrameFuzzTest {

    /** Below the frame budget's burst (200), so that no frame is dropped as flooding and each must be answered. */
    private static final int FRAMES = 150;
    private static final Set<String> ANSWERS = Set.of("error", "pong", "subscribed", "unsubscribed", "ack", "auth",
            "event");
    private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire)
            .collect(Collectors.toSet());
    private static final List<String> VALID = List.of(
            "{\"op\":\"subscribe\",\"channel\":\"scores:fuzz\",\"since\":\"0-1\",\"ref\":\"s1\"}",
            "{\"op\":\"unsubscribe\",\"channel\":\"scores:fuzz\",\"ref\":\"u1\"}",
            "{\"op\":\"publish\",\"channel\":\"chat:fuzz\",\"event_type\":\"t\",\"data\":{\"text\":\"hi\",\"n\":[1,2.5]},"
                    + "\"idempotency_key\":\"k1\",\"ref\":\"p1\"}",
            "{\"op\":\"auth\",\"token\":\"eyJhbGciOiJSUzI1NiJ9.e30.c2ln\",\"ref\":\"a1\"}",
            "{\"op\":\"ping\",\"ref\":\"g1\"}");

    private final ObjectMapper json = new ObjectMapper();

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @RepeatedTest(3)
    void randomAndMutatedFramesGetDocumentedAnswersAndTheConnectionStaysUsable() {
        List<String> sent = frames().sampleStream().limit(FRAMES).toList();
        long notObjects = sent.stream().filter(frame -> !isJsonObject(frame)).count();
        String barrier = "end-" + UUID.randomUUID();

        try (WsTestClient alice = connect(ws, "alice")) {
            sent.forEach(alice::send);
            alice.send("{\"op\":\"barrier\",\"ref\":\"" + barrier + "\"}");

            List<JsonNode> answers = new ArrayList<>();
            JsonNode last = alice.awaitFrame(frame -> {
                answers.add(frame);
                return barrier.equals(frame.path("ref").asText());
            }, WAIT);

            assertThat(last.path("code").asText()).as("the barrier, answered in order").isEqualTo("unknown_op");
            assertThat(answers).allSatisfy(answer -> {
                assertThat(answer.path("type").asText()).as("%s", answer).isIn(ANSWERS);
                if ("error".equals(answer.path("type").asText())) {
                    assertThat(answer.path("code").asText()).as("%s", answer).isIn(CODES);
                }
            });
            assertThat(answers).filteredOn(answer -> "bad_request".equals(answer.path("code").asText())
                    && answer.path("ref").isMissingNode())
                    .as("a bad_request for each frame that is no JSON object, of %s", sent)
                    .hasSizeGreaterThanOrEqualTo((int) notObjects);
            assertThat(alice.closed()).as("still open").isNotDone();
        }
    }

    private boolean isJsonObject(String frame) {
        try {
            return json.readTree(frame) != null && json.readTree(frame).isObject();
        } catch (Exception e) {
            return false;
        }
    }

    private static Arbitrary<String> frames() {
        Arbitrary<Character> anyChar = Arbitraries.chars().range('\u0000', '\uD7FF');
        Arbitrary<Character> jsonish = Arbitraries.of('{', '}', '[', ']', '"', ':', ',', '1', 'a', ' ', '\\', 'n');
        return Arbitraries.oneOf(
                Arbitraries.of(VALID).flatMap(valid -> mutated(valid, anyChar)),
                Arbitraries.of(VALID).flatMap(valid -> mutated(valid, jsonish)),
                Arbitraries.strings().withChars('{', '}', '[', ']', '"', ':', ',', '1', 'a').ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(60));
    }

    /** A valid frame with one character replaced, inserted or removed. */
    private static Arbitrary<String> mutated(String valid, Arbitrary<Character> chars) {
        return Arbitraries.integers().between(0, valid.length() - 1).flatMap(at -> chars.flatMap(c ->
                Arbitraries.of(0, 1, 2).map(kind -> switch (kind) {
                    case 0 -> valid.substring(0, at) + c + valid.substring(at + 1);
                    case 1 -> valid.substring(0, at) + c + valid.substring(at);
                    default -> valid.substring(0, at) + valid.substring(at + 1);
                })));
    }
}
