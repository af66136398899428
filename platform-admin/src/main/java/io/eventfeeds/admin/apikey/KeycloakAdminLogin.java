package io.eventfeeds.admin.apikey;

import io.eventfeeds.runtime.keycloak.KeycloakLaunch;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Client;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.spi.ResteasyClientClassicProvider;

/**
 * Logs in to the master realm as the bootstrap admin, with the password the caller got from its environment:
 * {@code ./platform} exports KEYCLOAK_ADMIN_PASSWORD to this process rather than passing it as an argument, which
 * every user's {@code ps} would show.
 */
public final class KeycloakAdminLogin {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Creating a client and its service account takes Keycloak well under a second; more means something is wrong. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private KeycloakAdminLogin() {
    }

    /** An admin session on the server at {@code serverUrl}; the caller closes it. */
    public static Keycloak login(URI serverUrl, String adminPassword) {
        if (adminPassword == null || adminPassword.isEmpty()) {
            throw new ApiKeyCommandException("KEYCLOAK_ADMIN_PASSWORD is not set");
        }
        awaitRealm(serverUrl);
        Keycloak keycloak = KeycloakBuilder.builder().serverUrl(serverUrl.toString()).realm("master")
                .clientId("admin-cli").username(KeycloakLaunch.ADMIN_USER).password(adminPassword)
                .resteasyClient(restClient()).build();
        try {
            // The admin client logs in on its first call; asked for a token now, a wrong password is told as such
            // and not as the first request's failure.
            keycloak.tokenManager().getAccessToken();
            return keycloak;
        } catch (NotAuthorizedException e) {
            keycloak.close();
            throw new ApiKeyCommandException("Keycloak refused the admin login (set KEYCLOAK_ADMIN_PASSWORD if you"
                    + " changed it)", e);
        } catch (WebApplicationException | ProcessingException e) {
            keycloak.close();
            throw new ApiKeyCommandException("Keycloak refused the admin login (set KEYCLOAK_ADMIN_PASSWORD if you"
                    + " changed it): " + e.getMessage(), e);
        }
    }

    /** The realm's own page answers once Keycloak has imported it: the sign that {@code ./platform up} ran. */
    private static void awaitRealm(URI serverUrl) {
        String notAnswering = "Keycloak is not answering on port " + serverUrl.getPort() + " with the realm "
                + KeycloakLaunch.REALM + ": run ./platform up first";
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(serverUrl.resolve("/realms/" + KeycloakLaunch.REALM))
                .timeout(READ_TIMEOUT).GET().build();
        try {
            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                throw new ApiKeyCommandException(notAnswering);
            }
        } catch (IOException e) {
            throw new ApiKeyCommandException(notAnswering, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiKeyCommandException(notAnswering, e);
        }
    }

    /**
     * The admin client's own RESTEasy client, with time limits it has none of by default (a hung Keycloak would hang
     * the command). Keycloak's Jackson provider ignores fields it does not know, which a newer server sends.
     */
    private static Client restClient() {
        return ResteasyClientClassicProvider.createClientBuilder()
                .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .register(new JacksonProvider(), 100).build();
    }
}
