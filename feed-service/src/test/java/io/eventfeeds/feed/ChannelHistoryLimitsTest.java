package io.eventfeeds.feed;

import static io.eventfeeds.feed.FeedRequests.expectProblem;
import static io.eventfeeds.feed.FeedRequests.publisherToken;
import static io.eventfeeds.feed.FeedRequests.uniqueChannel;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.events.ChannelName;
import io.eventfeeds.events.Position;
import io.eventfeeds.feed.history.ChannelHistory;
import io.eventfeeds.feed.history.HistoryConfig;
import io.eventfeeds.feed.history.HistoryPage;
import io.eventfeeds.feed.history.HistoryReaders;
import io.eventfeeds.feed.problem.FeedProblemType;
import io.eventfeeds.feed.problem.ProblemException;
import io.eventfeeds.security.problem.Problem;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The limits on history reads (issue #12): pages capped by bytes, reads in flight capped per caller, and reads
 * charged per event returned.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ChannelHistoryLimitsTest {

    private static final int MAX_PAGE_BYTES = 1024 * 1024;
    /** An event's data as large as publishing allows (64 KiB bodies), less room for the envelope. */
    private static final String LARGE_DATA = "x".repeat(64 * 1024 - 200);

    @Inject
    HistoryReaders readers;
    @Inject
    HistoryConfig config;
    @Inject
    ObjectMapper json;
    @TestHTTPResource("/")
    URL root;
    private HeldReads held;

    @AfterEach
    void letHeldReadsGo() {
        if (held != null) {
            held.let(Outcome.SUCCEEDS);
        }
    }

    @Test
    void aPageOfLargeEventsEndsAtTheByteCapWithMoreAndReadingOnFromNextMissesNothing() {
        String channel = uniqueChannel("scores");
        String since = publish(channel, 1, "1").get(0);
        List<String> published = publish(channel, 24, '"' + LARGE_DATA + '"');
        String carol = Tokens.accessToken("carol");

        Response first = given().auth().oauth2(carol).queryParam("since", since).queryParam("limit", 1000)
                .when().get("/api/v1/channels/" + channel + "/events");

        first.then().statusCode(200);
        assertThat(first.asByteArray().length).isLessThanOrEqualTo(MAX_PAGE_BYTES + 1024);
        assertThat(first.jsonPath().getList("events")).isNotEmpty().hasSizeLessThan(published.size());
        assertThat(first.jsonPath().getBoolean("more")).isTrue();
        List<String> read = new ArrayList<>(first.jsonPath().getList("events.position", String.class));
        String next = first.path("next");
        boolean more = true;
        while (more) {
            Response page = given().auth().oauth2(carol).queryParam("since", next).queryParam("limit", 1000)
                    .when().get("/api/v1/channels/" + channel + "/events");
            page.then().statusCode(200);
            assertThat(page.asByteArray().length).isLessThanOrEqualTo(MAX_PAGE_BYTES + 1024);
            read.addAll(page.jsonPath().getList("events.position", String.class));
            next = page.path("next");
            more = page.jsonPath().getBoolean("more");
        }
        assertThat(read).containsExactlyElementsOf(published);
    }

    @Test
    void aLatestReadOfLargeEventsKeepsTheNewestThatFitTheByteCap() {
        String channel = uniqueChannel("scores");
        List<String> published = publish(channel, 24, '"' + LARGE_DATA + '"');

        Response latest = given().auth().oauth2(Tokens.accessToken("carol")).queryParam("limit", 1000)
                .when().get("/api/v1/channels/" + channel + "/events");

        latest.then().statusCode(200);
        assertThat(latest.asByteArray().length).isLessThanOrEqualTo(MAX_PAGE_BYTES + 1024);
        List<String> positions = latest.jsonPath().getList("events.position", String.class);
        assertThat(positions).isNotEmpty().hasSizeLessThan(published.size());
        assertThat(published).endsWith(positions.toArray(String[]::new));
        assertThat(latest.<String>path("next")).isEqualTo(published.get(published.size() - 1));
    }

    @Test
    void aCallerAtItsLimitOfReadsInFlightIsRefused429WhileAnotherCallerStillReads() {
        String held = uniqueChannel("scores");
        String open = uniqueChannel("scores");
        List<String> openEvents = publish(open, 2, "1");
        HeldReads reads = holdReadsOf(held);
        String carol = Tokens.accessToken("carol");

        List<CompletableFuture<Response>> inFlight = IntStream.range(0, config.maxConcurrentPerCaller())
                .mapToObj(i -> readAsync(carol, held)).toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> reads.holding.get() == config.maxConcurrentPerCaller());

        Response refused = given().auth().oauth2(carol).when().get("/api/v1/channels/" + open + "/events");
        expectProblem(refused, 429, "too-many-reads", null);
        assertThat(refused.header("Retry-After")).matches("[1-9]\\d*");
        given().auth().oauth2(Tokens.accessToken("bob")).when().get("/api/v1/channels/" + open + "/events")
                .then().statusCode(200).body("events.position", equalTo(openEvents));

        reads.let(Outcome.SUCCEEDS);
        inFlight.forEach(read -> assertThat(read.join().statusCode()).isEqualTo(200));
        given().auth().oauth2(carol).when().get("/api/v1/channels/" + open + "/events").then().statusCode(200);
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void aReadInFlightGivesItsSlotBackWhenItEndsWhateverTheOutcome(Outcome outcome) throws IOException {
        String held = uniqueChannel("scores");
        String open = uniqueChannel("scores");
        HeldReads reads = holdReadsOf(held);
        String carol = Tokens.accessToken("carol");
        CompletableFuture<Response> other = readAsync(carol, held);
        try (Socket client = new Socket(root.getHost(), root.getPort())) {
            OutputStream out = client.getOutputStream();
            out.write(("GET /api/v1/channels/" + held + "/events HTTP/1.1\r\nHost: " + root.getHost()
                    + "\r\nAuthorization: Bearer " + carol + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> reads.holding.get() == 2);
            expectProblem(given().auth().oauth2(carol).when().get("/api/v1/channels/" + open + "/events"),
                    429, "too-many-reads", null);
            if (outcome == Outcome.CLIENT_GOES_AWAY) {
                client.close();
                // Its read still holds a Kafka consumer, so the caller is still at its limit.
                expectProblem(given().auth().oauth2(carol).when().get("/api/v1/channels/" + open + "/events"),
                        429, "too-many-reads", null);
            }
            reads.let(outcome);
            other.join();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(carol)
                    .when().get("/api/v1/channels/" + open + "/events").then().statusCode(200));
        }
    }

    @Test
    void aReadIsChargedPerEventReturnedSoALowRateCallerGetsShortPagesButEveryEvent() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String key = OperatorTool.createApiKey("feed-read-" + suffix, "--role", "subscriber", "--rate", "3");
        String channel = uniqueChannel("scores");
        String since = publish(channel, 1, "0").get(0);
        List<String> published = publish(channel, 12, "1");

        Response first = given().header("X-API-Key", key).queryParam("since", since).queryParam("limit", 100)
                .when().get("/api/v1/channels/" + channel + "/events");

        first.then().statusCode(200);
        // A rate of 3 per second is a burst of 3; one more only if the bucket refilled meanwhile.
        assertThat(first.jsonPath().getList("events")).hasSizeBetween(1, 4);
        assertThat(first.jsonPath().getBoolean("more")).isTrue();
        List<String> read = new ArrayList<>(first.jsonPath().getList("events.position", String.class));
        String[] next = {first.path("next")};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Response page = given().header("X-API-Key", key).queryParam("since", next[0]).queryParam("limit", 100)
                    .when().get("/api/v1/channels/" + channel + "/events");
            if (page.statusCode() == 200) {
                read.addAll(page.jsonPath().getList("events.position", String.class));
                next[0] = page.path("next");
                return !page.jsonPath().getBoolean("more");
            }
            assertThat(page.statusCode()).isEqualTo(429);
            return false;
        });
        assertThat(read).containsExactlyElementsOf(published);
    }

    /** Publishes events with this data in one batch and returns their positions. */
    private static List<String> publish(String channel, int count, String data) {
        String body = IntStream.range(0, count)
                .mapToObj(i -> "{\"channel\":\"" + channel + "\",\"data\":" + data + "}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        return given().auth().oauth2(publisherToken()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/events")
                .then().statusCode(200).body("accepted", equalTo(count))
                .extract().jsonPath().getList("results.event.position", String.class);
    }

    private static CompletableFuture<Response> readAsync(String token, String channel) {
        return CompletableFuture.supplyAsync(() -> given().auth().oauth2(token)
                .when().get("/api/v1/channels/" + channel + "/events"));
    }

    private HeldReads holdReadsOf(String channel) {
        held = new HeldReads(readers, config, json, ChannelName.parse(channel, null).orElseThrow());
        QuarkusMock.installMockForType(held, ChannelHistory.class);
        return held;
    }

    enum Outcome { SUCCEEDS, FAILS, CLIENT_GOES_AWAY }

    /**
     * Reads of one channel wait until the test lets them go: how long a real read takes depends on the log and the
     * machine (a sparse channel's read runs for its whole time budget), so the test decides instead.
     */
    static final class HeldReads extends ChannelHistory {

        final AtomicInteger holding = new AtomicInteger();
        private final ChannelName held;
        private final CountDownLatch go = new CountDownLatch(1);
        private volatile Outcome outcome;

        HeldReads(HistoryReaders readers, HistoryConfig config, ObjectMapper json, ChannelName held) {
            super(readers, config, json);
            this.held = held;
        }

        void let(Outcome how) {
            if (go.getCount() > 0) {
                outcome = how;
                go.countDown();
            }
        }

        @Override
        public HistoryPage read(ChannelName channel, Optional<Position> since, int limit) {
            if (!channel.equals(held)) {
                return super.read(channel, since, limit);
            }
            holding.incrementAndGet();
            try {
                if (!go.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let the read go");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (outcome == Outcome.FAILS) {
                throw new ProblemException(Problem.of(FeedProblemType.EVENT_LOG_UNAVAILABLE, "held read failed", null),
                        Duration.ofSeconds(1), null);
            }
            return super.read(channel, since, limit);
        }
    }
}
