package io.eventfeeds.gateway.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.eventfeeds.testsupport.KafkaTestResource;
import io.eventfeeds.testsupport.KeycloakTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The page, its scripts and its settings are public, and the settings point browsers at the right places. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WebPageTest {

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String realmUrl;

    @Test
    void thePageIsServedAtTheRootWithoutLogin() {
        given().when().get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"/js/app.js\">"))
                // No asset from another origin: the page must work on a network without internet.
                .body(not(containsString("https://")));
    }

    @Test
    void theClientModuleAndKeycloakAdapterAreServedAtStablePaths() {
        given().when().get("/js/eventfeeds-client.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("export class EventFeedsClient"));
        given().when().get("/vendor/keycloak-js/keycloak.js").then().statusCode(200)
                .body(containsString("export default class Keycloak"));
        given().when().get("/css/app.css").then().statusCode(200);
    }

    @Test
    void settingsNameTheRealmTheBrowserClientAndTheDemoChannels() {
        String base = realmUrl.substring(0, realmUrl.indexOf("/realms/"));
        given().when().get(WebPageConfigResource.PATH).then().statusCode(200)
                .body("keycloak.url", equalTo(base))
                .body("keycloak.realm", equalTo("feeds"))
                .body("keycloak.clientId", equalTo("feeds-web"))
                .body("feedUrl", equalTo("http://127.0.0.1:8081"))
                .body("channels.scores", equalTo("scores:game-1"))
                .body("channels.stocks", hasItems("stocks:acme", "stocks:globex", "stocks:initech"))
                .body("channels.chat", equalTo("chat:lobby"));
    }
}
