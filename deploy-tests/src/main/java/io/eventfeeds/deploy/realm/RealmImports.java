package io.eventfeeds.deploy.realm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Builds the Keycloak operator's {@code KeycloakRealmImport} for an overlay from the one realm in auth-config, so that
 * Kubernetes imports the same realm as the local platform, the tests and docker-compose. Two documented changes:
 * <ul>
 * <li>every overlay: the browser clients ({@code redirectUris}, {@code webOrigins}) also accept the overlay's
 * public gateway origin (the Ingress host), which the local realm cannot know;</li>
 * <li>{@link Variant#PRODUCTION}: the demo users and every client marked "DEMO ONLY" (with its public secret; the
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
    private static final Set<String> LOCAL_ORIGIN_HOSTS = Set.of("localhost", "127.0.0.1");
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Variant {
        /** The realm as it is, demo accounts included. */
        DEMO,
        /** The realm without demo users, demo clients or local origins. */
        PRODUCTION
    }

    private RealmImports() {
    }

    public static ObjectNode realmImport(JsonNode realm, Variant variant, String gatewayOrigin) {
        ObjectNode transformed = realmFor(realm, variant, gatewayOrigin);
        ObjectNode resource = JsonNodeFactory.instance.objectNode();
        resource.put("apiVersion", "k8s.keycloak.org/v2alpha1");
        resource.put("kind", "KeycloakRealmImport");
        resource.putObject("metadata").put("name", transformed.path("realm").asText() + "-realm");
        ObjectNode spec = resource.putObject("spec");
        spec.put("keycloakCRName", KEYCLOAK_CR_NAME);
        if (variant == Variant.PRODUCTION) {
            ObjectNode placeholders = JsonNodeFactory.instance.objectNode();
            for (JsonNode client : transformed.path("clients")) {
                if (client.has("secret")) {
                    String clientId = client.path("clientId").asText();
                    ObjectNode secret = placeholders.putObject(placeholder(clientId)).putObject("secret");
                    secret.put("name", CLIENT_SECRETS);
                    secret.put("key", clientId);
                    ((ObjectNode) client).put("secret", "${" + placeholder(clientId) + "}");
                }
            }
            if (!placeholders.isEmpty()) {
                spec.set("placeholders", placeholders);
            }
        }
        spec.set("realm", transformed);
        return resource;
    }

    public static ObjectNode realmFor(JsonNode realm, Variant variant, String gatewayOrigin) {
        ObjectNode copy = realm.deepCopy();
        if (variant == Variant.PRODUCTION) {
            copy.remove("users");
            copy.put("sslRequired", "all");
            copy.put("revokeRefreshToken", true);
            copy.put("refreshTokenMaxReuse", 0);
            ArrayNode clients = (ArrayNode) copy.path("clients");
            for (Iterator<JsonNode> it = clients.elements(); it.hasNext();) {
                if (it.next().path("description").asText("").startsWith(DEMO_MARKER)) {
                    it.remove();
                }
            }
        }
        String redirect = gatewayOrigin + (variant == Variant.PRODUCTION ? "/" : "/*");
        for (JsonNode client : copy.path("clients")) {
            rewriteOrigins((ObjectNode) client, "redirectUris", redirect, variant);
            rewriteOrigins((ObjectNode) client, "webOrigins", gatewayOrigin, variant);
        }
        return copy;
    }

    /** The environment variable the operator sets for a client's secret: CLIENT_SECRET_ and the id, upper case. */
    static String placeholder(String clientId) {
        return "CLIENT_SECRET_" + clientId.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private static void rewriteOrigins(ObjectNode client, String field, String added, Variant variant) {
        if (!client.has(field)) {
            return;
        }
        ArrayNode values = JsonNodeFactory.instance.arrayNode();
        for (JsonNode value : client.get(field)) {
            if (variant == Variant.DEMO || !isLocal(value.asText())) {
                values.add(value);
            }
        }
        values.add(added);
        client.set(field, values);
    }

    private static boolean isLocal(String uri) {
        String rest = uri.replaceFirst("^[a-z]+://", "");
        String host = rest.split("[:/]", 2)[0];
        return LOCAL_ORIGIN_HOSTS.contains(host);
    }

    public static JsonNode readRealm(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("the realm file is not valid JSON: " + e.getMessage(), e);
        }
    }
}
