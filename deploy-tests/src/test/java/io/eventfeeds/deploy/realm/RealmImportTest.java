package io.eventfeeds.deploy.realm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.k8s.Overlay;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The committed KeycloakRealmImports are what the build generates from auth-config's realm, byte for byte. */
class RealmImportTest {

    private static final Repository REPOSITORY = Repository.current();
    private static final JsonNode REALM = RealmImports.realm(REPOSITORY);

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void committedRealmImportIsTheGeneratedOne(Overlay overlay) throws Exception {
        String committed = REPOSITORY.read(overlay.realmImportFile());

        assertThat(committed)
                .as("%s is out of date with %s: regenerate it with %s", overlay.realmImportFile(),
                        Repository.REALM_FILE, RealmImportWriter.COMMAND)
                .isEqualTo(RealmImportWriter.expected(REPOSITORY, overlay));
    }

    @Test
    void aChangedRealmMakesADifferentImport() {
        ObjectNode changed = REALM.deepCopy();
        changed.put("accessTokenLifespan", 3600);

        assertThat(RealmImports.realmImport(changed, Overlay.DEV, "https://feeds.localhost"))
                .isNotEqualTo(RealmImports.realmImport(REALM, Overlay.DEV, "https://feeds.localhost"));
    }

    @Test
    void demoRealmIsTheAuthConfigRealmWithTheGatewayOriginAdded() {
        ObjectNode demo = RealmImports.realmFor(REALM, Overlay.DEV, "https://feeds.localhost");

        assertThat(demo.path("users")).isEqualTo(REALM.path("users"));
        assertThat(demo.path("roles")).isEqualTo(REALM.path("roles"));
        JsonNode web = client(demo, "feeds-web");
        assertThat(texts(web.path("redirectUris"))).containsAll(texts(client(REALM, "feeds-web").path("redirectUris")))
                .contains("https://feeds.localhost/*");
        assertThat(texts(web.path("webOrigins"))).contains("https://feeds.localhost");
        ObjectNode withoutOrigins = demo.deepCopy();
        for (JsonNode client : withoutOrigins.path("clients")) {
            for (String field : List.of("redirectUris", "webOrigins")) {
                if (client.has(field)) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) client.get(field)).remove(client.get(field).size() - 1);
                }
            }
        }
        assertThat(withoutOrigins).isEqualTo(REALM);
    }

    @Test
    void productionRealmHasNoDemoUsersClientsFlowsSecretsOrLocalOriginsAndIsHardened() {
        ObjectNode prod = RealmImports.realmFor(REALM, Overlay.PROD, "https://feeds.example.com");

        assertThat(prod.has("users")).isFalse();
        assertThat(prod.toString()).doesNotContain("demo-publisher-secret").doesNotContain("\"secret\"")
                .doesNotContain("localhost").doesNotContain("127.0.0.1");
        List<String> clients = new ArrayList<>();
        prod.path("clients").forEach(c -> clients.add(c.path("clientId").asText()));
        assertThat(clients).as("the password-grant and implicit clients are demo clients").containsExactly("feeds-web");
        assertThat(texts(client(prod, "feeds-web").path("redirectUris"))).containsExactly("https://feeds.example.com/");
        assertThat(prod.path("roles")).isEqualTo(REALM.path("roles"));
        assertThat(prod.path("sslRequired").asText()).isEqualTo("all");
        assertThat(prod.path("revokeRefreshToken").asBoolean()).isTrue();
        assertThat(prod.path("refreshTokenMaxReuse").asInt(-1)).isZero();
    }

    @Test
    void productionConfidentialClientsTakeTheirSecretFromAnOperatorProvidedSecret() {
        ObjectNode realm = REALM.deepCopy();
        ObjectNode scoreboard = ((com.fasterxml.jackson.databind.node.ArrayNode) realm.path("clients")).addObject();
        scoreboard.put("clientId", "scoreboard-publisher").put("publicClient", false).put("secret", "from-git");

        ObjectNode resource = RealmImports.realmImport(realm, Overlay.PROD, "https://feeds.example.com");

        assertThat(client(resource.path("spec").path("realm"), "scoreboard-publisher").path("secret").asText())
                .isEqualTo("${CLIENT_SECRET_SCOREBOARD_PUBLISHER}");
        assertThat(resource.path("spec").path("placeholders").path("CLIENT_SECRET_SCOREBOARD_PUBLISHER").path("secret"))
                .hasToString("{\"name\":\"" + RealmImports.CLIENT_SECRETS + "\",\"key\":\"scoreboard-publisher\"}");
        assertThat(resource.toString()).doesNotContain("from-git");
    }

    private static JsonNode client(JsonNode realm, String clientId) {
        for (JsonNode client : realm.path("clients")) {
            if (client.path("clientId").asText().equals(clientId)) {
                return client;
            }
        }
        throw new AssertionError("no client " + clientId);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
