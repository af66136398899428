package io.eventfeeds.feed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.eventfeeds.testsupport.EventTopicReader;
import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.eventfeeds.testsupport.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PublishToKafkaTest {

    @Test
    void eventPublishedWithAKeycloakServiceTokenIsInTheTopicAtThePositionTheAnswerGave() {
        String token = Tokens.clientCredentials(Tokens.DEMO_PUBLISHER, Tokens.DEMO_PUBLISHER_SECRET).accessToken();
        String marker = UUID.randomUUID().toString();

        Response response = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"type\":\"score\",\"data\":{\"marker\":\"" + marker + "\"}}")
                .when().post("/api/v1/channels/scores:game-1/events")
                .then().statusCode(202)
                .body("channel", equalTo("scores:game-1"))
                .body("position", matchesPattern("\\d+-\\d+"))
                .extract().response();

        List<ConsumerRecord<String, String>> records = EventTopicReader.readAll(
                record -> record.value().contains(marker), 1, Duration.ofSeconds(20));
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = records.get(0);
        assertThat(record.key()).isEqualTo("scores:game-1");
        assertThat(record.partition() + "-" + record.offset()).isEqualTo(response.path("position"));
        assertThat(record.value()).contains("\"id\":\"" + response.path("id") + "\"")
                .contains("\"publisher\":\"service-account-demo-publisher\"");
    }

    @Test
    void requestWithoutTokenIsRefusedWith401() {
        given().contentType(ContentType.JSON).body("{\"data\":1}")
                .when().post("/api/v1/channels/scores:game-1/events")
                .then().statusCode(401);
    }

    @Test
    void userWithoutThePublisherRoleIsRefusedWith403() {
        given().auth().oauth2(Tokens.accessToken("carol")).contentType(ContentType.JSON).body("{\"data\":1}")
                .when().post("/api/v1/channels/scores:game-1/events")
                .then().statusCode(403);
    }

    @Test
    void forgedTokenIsRefusedWith401() {
        String token = Tokens.accessToken("dave");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA";
        given().auth().oauth2(forged).contentType(ContentType.JSON).body("{\"data\":1}")
                .when().post("/api/v1/channels/scores:game-1/events")
                .then().statusCode(401);
    }
}
