package io.eventfeeds.admin.apikey;

import io.eventfeeds.apikey.ApiKey;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * API keys as the feeds realm holds them: a key is its client and nothing else, so Keycloak stays the only place
 * where keys live (docs/security.md).
 */
public final class KeycloakApiKeys {

    /** Clients asked for at a time when listing: the realm may hold many keys. */
    private static final int PAGE = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RealmResource realm;
    private final Clock clock;

    /** Keys in {@code realm}, the feeds realm of an admin session ({@code keycloak.realm("feeds")}). */
    public KeycloakApiKeys(RealmResource realm, Clock clock) {
        this.realm = realm;
        this.clock = clock;
    }

    /** A key listed: its name and the description it was made with (roles, limits, when). */
    public record Listed(String name, String details) {
    }

    /**
     * Makes the key's client, then gives its service account the roles; if a role cannot be given, the client is
     * deleted again, because a client without its roles would still exchange for a token.
     */
    public ApiKey create(ApiKeyRequest.Create request) {
        String secret = newSecret();
        ClientRepresentation client = ApiKeyClient.representation(request, secret, clock.instant());
        String id;
        try (Response response = realm.clients().create(client)) {
            if (response.getStatus() == Response.Status.CONFLICT.getStatusCode()) {
                throw new ApiKeyCommandException("an API key named '" + request.name()
                        + "' already exists (revoke it first)");
            }
            if (response.getStatus() != Response.Status.CREATED.getStatusCode()) {
                throw new ApiKeyCommandException("Keycloak refused to create the API key: HTTP " + response.getStatus()
                        + " " + response.readEntity(String.class));
            }
            id = CreatedResponseUtil.getCreatedId(response);
        }
        for (String role : request.roles()) {
            try {
                grant(id, role);
            } catch (WebApplicationException | ProcessingException e) {
                if (!delete(id)) {
                    throw new ApiKeyCommandException("could not give role " + role + " to the API key '"
                            + request.name() + "', nor delete it again: revoke it", e);
                }
                throw new ApiKeyCommandException("could not give role " + role + " to the API key '" + request.name()
                        + "'; nothing was created", e);
            }
        }
        return new ApiKey(client.getClientId(), secret);
    }

    public List<Listed> list() {
        List<Listed> keys = new ArrayList<>();
        for (int first = 0; ; first += PAGE) {
            // search=true matches client ids containing the prefix; only those starting with it are keys.
            List<ClientRepresentation> page = realm.clients().findAll(ApiKey.CLIENT_PREFIX, null, true, first, PAGE);
            page.stream().filter(client -> client.getClientId().startsWith(ApiKey.CLIENT_PREFIX))
                    .map(client -> new Listed(client.getClientId().substring(ApiKey.CLIENT_PREFIX.length()),
                            Optional.ofNullable(client.getDescription()).orElse("")))
                    .forEach(keys::add);
            if (page.size() < PAGE) {
                break;
            }
        }
        keys.sort(Comparator.comparing(Listed::name));
        return keys;
    }

    /** Deletes the key's client; false if there was no such key. */
    public boolean revoke(String name) {
        String clientId = ApiKey.clientIdOf(name);
        Optional<String> id = realm.clients().findByClientId(clientId).stream()
                .filter(client -> clientId.equals(client.getClientId())).map(ClientRepresentation::getId).findFirst();
        id.ifPresent(found -> realm.clients().get(found).remove());
        return id.isPresent();
    }

    private void grant(String clientUuid, String role) {
        RoleRepresentation realmRole = realm.roles().get(role).toRepresentation();
        UserRepresentation serviceAccount = realm.clients().get(clientUuid).getServiceAccountUser();
        realm.users().get(serviceAccount.getId()).roles().realmLevel().add(List.of(realmRole));
    }

    private boolean delete(String clientUuid) {
        try {
            realm.clients().get(clientUuid).remove();
            return true;
        } catch (WebApplicationException | ProcessingException e) {
            return false;
        }
    }

    /** 256 random bits, URL-safe: Keycloak's own generated secrets are no stronger. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
