package io.eventfeeds.feed;

import static io.eventfeeds.testsupport.ManagementPortTestResource.management;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OperationsEndpointsTest {

    @Test
    void readinessIsUpWithTheKafkaProducerConnected() {
        // Eventually: a test before this one (KafkaOutageTest) may have restarted the broker this app shares, and the
        // producer reconnects by itself within seconds.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get(management("health/ready")).statusCode() == 200);
        given().when().get(management("health/ready")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void livenessIsUp() {
        given().when().get(management("health/live")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().when().get(management("metrics")).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void publishMetricsCountAcceptedEventsAndTimeTheAcknowledgement() {
        given().auth().oauth2(FeedRequests.publisherToken()).contentType(ContentType.JSON).body("{\"data\":1}")
                .when().post("/api/v1/channels/" + FeedRequests.uniqueChannel("scores") + "/events")
                .then().statusCode(202);
        given().when().get(management("metrics")).then().statusCode(200)
                .body(matchesPattern("(?s).*feeds_events_accepted_total [1-9].*"))
                .body(containsString("feeds_events_publish_latency_seconds_count"));
    }

    @Test
    void openApiDescribesThePublishBatchAndHistoryEndpointsAndTheProblemBody() {
        given().when().get(management("openapi")).then().statusCode(200)
                .body(containsString("/api/v1/channels/{channel}/events"))
                .body(containsString("/api/v1/events"))
                .body(containsString("Idempotency-Key"))
                .body(containsString("application/problem+json"))
                // the shared Problem lives in security-support: its schema must still be found and described
                .body(containsString("RFC 9457 problem details"))
                .body(containsString("HistoryPage"));
        given().when().get(management("swagger-ui/")).then().statusCode(200);
    }

    /** What a port forward or a mis-routed Ingress of the public port could reach: none of the operators' pages. */
    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/"})
    void thePublicPortServesNoManagementPage(String path) {
        given().when().get(path).then().statusCode(404);
    }
}
