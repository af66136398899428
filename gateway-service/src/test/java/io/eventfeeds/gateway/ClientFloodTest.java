package io.eventfeeds.gateway;

import static io.eventfeeds.gateway.TestClients.WAIT;
import static io.eventfeeds.gateway.TestClients.connect;
import static io.eventfeeds.testsupport.ManagementPortTestResource.management;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.WsTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One client flooding the gateway with frames costs itself its connection, and nobody else anything. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ClientFloodTest {

    /** Far beyond what the default budget (a burst of 200, then 100 per second) and its overflow take. */
    private static final int FLOOD = 2_000;

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void gatewayIsReady() {
        TestClients.awaitReady();
    }

    @Test
    void aClientFloodingFramesIsToldThenClosedWith1008AndAnotherClientIsStillAnswered() throws Exception {
        try (WsTestClient bob = connect(ws, "bob");
                RawWebSocket flooder = RawWebSocket.open(ws, TestClients.token("alice"))) {
            flooder.sendTextRepeatedly("{\"op\":\"ping\"}", FLOOD);

            RawWebSocket.Closing closing = flooder.awaitClose(WAIT);
            assertThat(closing.code()).isEqualTo(1008);
            // Told once per episode: a pause of the server (a GC, a busy CI machine) longer than the dropped frames'
            // backlog may end an episode and start another, so a few, never one per dropped frame.
            assertThat(closing.texts()).filteredOn(text -> text.contains("\"rate_limited\""))
                    .hasSizeBetween(1, 5);
            assertThat(closing.texts()).filteredOn(text -> text.contains("\"pong\""))
                    .as("pings answered: the burst, and what refilled while the flood was read")
                    .hasSizeGreaterThanOrEqualTo(200).hasSizeLessThan(FLOOD / 2);

            bob.send("{\"op\":\"ping\"}");
            bob.awaitType("pong", WAIT);
            assertThat(bob.closeCode()).isNotDone();
        }
        assertThat(given().get(management("metrics")).asString()).containsPattern("feeds_gateway_flooding_clients_closed_total [1-9]");
    }

    @Test
    void invalidFramesCountAsMuchAsValidOnes() throws Exception {
        try (RawWebSocket flooder = RawWebSocket.open(ws, TestClients.token("alice"))) {
            flooder.sendTextRepeatedly("{not json", FLOOD);

            RawWebSocket.Closing closing = flooder.awaitClose(WAIT);
            assertThat(closing.code()).isEqualTo(1008);
            assertThat(closing.texts()).filteredOn(text -> text.contains("\"bad_request\""))
                    .hasSizeGreaterThanOrEqualTo(200).hasSizeLessThan(FLOOD / 2);
        }
    }
}
