package io.eventfeeds.admin.apikey;

import io.eventfeeds.apikey.ApiKey;
import io.eventfeeds.apikey.ApiKeyClaims;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

/**
 * The Keycloak client that is an API key: confidential, client credentials only (a service account holds the key's
 * roles), its tokens meant for the services (audience {@value #AUDIENCE}) and carrying the key's limits as
 * hard-coded claims. The description is the only place that says which roles and limits a key was made with, for
 * {@code ./platform api-key list}.
 */
public final class ApiKeyClient {

    /** The audience the services accept (quarkus.oidc.token.audience). */
    static final String AUDIENCE = "eventfeeds";

    private ApiKeyClient() {
    }

    public static ClientRepresentation representation(ApiKeyRequest.Create request, String secret, Instant created) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(ApiKey.clientIdOf(request.name()));
        client.setName("API key " + request.name());
        client.setDescription(description(request, created));
        client.setPublicClient(false);
        client.setClientAuthenticatorType("client-secret");
        client.setSecret(secret);
        client.setStandardFlowEnabled(false);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(true);
        List<ProtocolMapperRepresentation> mappers = new ArrayList<>();
        mappers.add(mapper("eventfeeds-audience", "oidc-audience-mapper",
                Map.of("included.custom.audience", AUDIENCE)));
        request.rate().ifPresent(rate -> mappers.add(claim("rate-limit", ApiKeyClaims.RATE_LIMIT, rate)));
        request.maxConnections().ifPresent(
                cap -> mappers.add(claim("max-connections", ApiKeyClaims.MAX_CONNECTIONS, cap)));
        client.setProtocolMappers(mappers);
        return client;
    }

    static String description(ApiKeyRequest.Create request, Instant created) {
        return "roles=" + String.join(" ", request.roles()) + " rate=" + orDefault(request.rate())
                + " max-connections=" + orDefault(request.maxConnections())
                + " created=" + created.truncatedTo(ChronoUnit.SECONDS);
    }

    static String orDefault(OptionalInt value) {
        return value.isPresent() ? String.valueOf(value.getAsInt()) : "default";
    }

    /** A claim with the same value in every access token of the key (an int, so the services read a number). */
    private static ProtocolMapperRepresentation claim(String mapperName, String claimName, int value) {
        return mapper(mapperName, "oidc-hardcoded-claim-mapper", Map.of("claim.name", claimName,
                "claim.value", String.valueOf(value), "jsonType.label", "int"));
    }

    /** In access tokens only: the ID token of a service account is never sent to the services. */
    private static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> config) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(type);
        Map<String, String> all = new HashMap<>(config);
        all.put("access.token.claim", "true");
        all.put("id.token.claim", "false");
        mapper.setConfig(all);
        return mapper;
    }
}
