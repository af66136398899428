package io.eventfeeds.runtime.keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Whether a starting Keycloak serves the project's realm. Its health check turns ready before the realm import is
 * done, so the realm's OpenID configuration is asked too: that is what the services need at their start.
 */
public final class KeycloakReadiness {

    private static final Duration POLL = Duration.ofMillis(500);

    private final URI health;
    private final URI realm;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public KeycloakReadiness(String host, int port, int managementPort) {
        this.health = URI.create("http://" + host + ":" + managementPort + "/health/ready");
        this.realm = URI.create("http://" + host + ":" + port + "/realms/" + KeycloakLaunch.REALM
                + "/.well-known/openid-configuration");
    }

    public boolean ready() {
        return ok(health) && ok(realm);
    }

    /**
     * Waits until {@link #ready()}, giving up when {@code alive} turns false (the server's process ended) or after
     * {@code timeout}; either is an {@link IllegalStateException} whose message completes "keycloak ...".
     */
    public void await(Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("exited while starting");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("did not serve the realm " + KeycloakLaunch.REALM + " within "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }

    private boolean ok(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
