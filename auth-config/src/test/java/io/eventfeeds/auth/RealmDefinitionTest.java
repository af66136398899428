package io.eventfeeds.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the hand-written realm for the mistakes that Keycloak would only reveal at import or at the first login.
 * That the realm really imports is shown by test-support's KeycloakServerIT, which starts Keycloak with it.
 */
class RealmDefinitionTest {

    private static JsonNode realm;

    @BeforeAll
    static void readRealm() throws IOException {
        try (InputStream in = RealmDefinitionTest.class.getResourceAsStream("/realm/feeds-realm.json")) {
            assertThat(in).as("realm/feeds-realm.json on the classpath").isNotNull();
            realm = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void realmIsNamedFeedsAndEnabled() {
        assertThat(realm.path("realm").asText()).isEqualTo("feeds");
        assertThat(realm.path("enabled").asBoolean()).isTrue();
    }

    @Test
    void definesTheFourPlatformRoles() {
        List<String> roles = new ArrayList<>();
        realm.path("roles").path("realm").forEach(role -> roles.add(role.path("name").asText()));
        assertThat(roles).containsExactlyInAnyOrder("subscriber", "chat", "publisher", "admin");
    }

    @Test
    void everyClientPutsTheServicesAudienceIntoItsTokens() {
        assertThat(realm.path("clients")).isNotEmpty();
        realm.path("clients").forEach(client -> {
            List<String> audiences = new ArrayList<>();
            client.path("protocolMappers").forEach(mapper -> {
                if ("oidc-audience-mapper".equals(mapper.path("protocolMapper").asText())) {
                    audiences.add(mapper.path("config").path("included.custom.audience").asText());
                }
            });
            assertThat(audiences).as("audience of client %s", client.path("clientId").asText()).containsExactly("eventfeeds");
        });
    }

    @Test
    void browserClientUsesCodeFlowWithS256PkceOnly() {
        JsonNode web = client("feeds-web");
        assertThat(web.path("publicClient").asBoolean()).isTrue();
        assertThat(web.path("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(web.path("implicitFlowEnabled").asBoolean()).isFalse();
        assertThat(web.path("directAccessGrantsEnabled").asBoolean()).isFalse();
        assertThat(web.path("attributes").path("pkce.code.challenge.method").asText()).isEqualTo("S256");
        web.path("redirectUris").forEach(uri -> assertThat(uri.asText()).doesNotContain("*://").isNotEqualTo("*"));
    }

    @Test
    void implicitFlowTokensLiveNoLongerThanCodeFlowTokens() {
        // An implicit token travels in the URL fragment, where more can see it: it must not outlive the others.
        assertThat(realm.path("accessTokenLifespanForImplicitFlow").asInt())
                .isPositive().isLessThanOrEqualTo(realm.path("accessTokenLifespan").asInt());
    }

    @Test
    void containsNoSigningKeysOrExportedSecretsBesideTheMarkedDemoOne() {
        assertThat(realm.has("components")).as("exported key providers").isFalse();
        assertThat(realm.has("keys")).isFalse();
        realm.path("clients").forEach(client -> {
            if (client.has("secret")) {
                assertThat(client.path("secret").asText()).startsWith("demo-");
                assertThat(client.path("description").asText()).contains("DEMO ONLY");
            }
        });
    }

    private static JsonNode client(String clientId) {
        for (JsonNode client : realm.path("clients")) {
            if (clientId.equals(client.path("clientId").asText())) {
                return client;
            }
        }
        throw new AssertionError("no client " + clientId);
    }
}
