package io.eventfeeds.deploy.realm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.k8s.Overlay;
import java.util.Iterator;
import java.util.Locale;

/**
 * Builds the Keycloak operator's {@code KeycloakRealmImport} for an overlay from the one realm in auth-config, so that
 * Kubernetes imports the same realm as the local platform, the tests and docker-compose. Two documented changes:
 * <ul>
 * <li>every overlay: the browser clients ({@code redirectUris}, {@code webOrigins}) also accept the overlay's
 * public gateway origin (the Ingress host), which the local realm cannot know;</li>
 * <li>{@link Overlay#PROD}: the demo users and every client marked "DEMO ONLY" (with its public secret; the
 * password-grant and implicit clients are marked so) are left out, and the local origins are replaced rather than
 * extended, by the gateway's page exactly ({@code origin/}, no wildcard that would also cover {@code /api} or any
 * page an attacker finds there). The realm requires TLS for every address ({@code sslRequired: all}) and rotates
 * refresh tokens (each may be used once). Any other confidential client keeps its definition, but its secret
 * becomes a placeholder that the Keycloak operator fills from the Secret {@value #CLIENT_SECRETS} (key: the client
 * id), which the operator of the cluster provides.</li>
 * </ul>
 */
public final class RealmImports {

    public static final String KEYCLOAK_CR_NAME = "keycloak";
    public static final String DEMO_MARKER = "DEMO ONLY";
    public static final String CLIENT_SECRETS = "eventfeeds-client-secrets";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RealmImports() {
    }

    /** auth-config's realm, {@value Repository#REALM_FILE}. */
    public static JsonNode realm(Repository repository) {
        try {
            return JSON.readTree(repository.read(Repository.REALM_FILE));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(Repository.REALM_FILE + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public static ObjectNode realmImport(JsonNode realm, Overlay overlay, String gatewayOrigin) {
        ObjectNode transformed = realmFor(realm, overlay, gatewayOrigin);
        ObjectNode resource = JSON.createObjectNode().put("apiVersion", "k8s.keycloak.org/v2alpha1").put("kind", "KeycloakRealmImport");
        resource.putObject("metadata").put("name", transformed.path("realm").asText() + "-realm");
        ObjectNode spec = resource.putObject("spec").put("keycloakCRName", KEYCLOAK_CR_NAME);
        ObjectNode placeholders = JSON.createObjectNode();
        for (JsonNode client : transformed.path("clients")) {
            if (overlay == Overlay.PROD && client.has("secret")) {
                // The operator's environment variable for the secret: CLIENT_SECRET_ and the client id, upper case.
                String clientId = client.path("clientId").asText();
                String placeholder = "CLIENT_SECRET_" + clientId.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
                placeholders.putObject(placeholder).putObject("secret").put("name", CLIENT_SECRETS).put("key", clientId);
                ((ObjectNode) client).put("secret", "${" + placeholder + "}");
            }
        }
        if (!placeholders.isEmpty()) {
            spec.set("placeholders", placeholders);
        }
        spec.set("realm", transformed);
        return resource;
    }

    public static ObjectNode realmFor(JsonNode realm, Overlay overlay, String gatewayOrigin) {
        ObjectNode copy = realm.deepCopy();
        if (overlay == Overlay.PROD) {
            copy.remove("users");
            copy.put("sslRequired", "all").put("revokeRefreshToken", true).put("refreshTokenMaxReuse", 0);
            for (Iterator<JsonNode> clients = copy.path("clients").elements(); clients.hasNext();) {
                if (clients.next().path("description").asText("").startsWith(DEMO_MARKER)) {
                    clients.remove();
                }
            }
        }
        for (JsonNode client : copy.path("clients")) {
            rewriteOrigins((ObjectNode) client, "redirectUris", gatewayOrigin + (overlay == Overlay.PROD ? "/" : "/*"), overlay);
            rewriteOrigins((ObjectNode) client, "webOrigins", gatewayOrigin, overlay);
        }
        return copy;
    }

    /** Adds the gateway's origin to a client's list; production keeps no local (localhost, 127.0.0.1) one. */
    private static void rewriteOrigins(ObjectNode client, String field, String added, Overlay overlay) {
        if (client.has(field)) {
            ArrayNode values = JSON.createArrayNode();
            client.get(field).forEach(value -> {
                if (overlay == Overlay.DEV || !value.asText().matches("[a-z]+://(localhost|127\\.0\\.0\\.1)([:/].*)?")) {
                    values.add(value);
                }
            });
            client.set(field, values.add(added));
        }
    }
}
