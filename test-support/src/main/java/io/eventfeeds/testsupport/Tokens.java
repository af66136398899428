package io.eventfeeds.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Gets real tokens from the shared Keycloak, the way the platform's clients do. */
public final class Tokens {

    /** The public command-line client with direct access grants. */
    public static final String CLI_CLIENT = "feeds-cli";
    /** DEMO ONLY: the demo publisher's client-credentials pair from the realm. */
    public static final String DEMO_PUBLISHER = "demo-publisher";
    public static final String DEMO_PUBLISHER_SECRET = "demo-publisher-secret";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokens() {
    }

    /** Password login of a demo user (alice, bob, carol, dave; the password is NAME-demo). */
    public static TokenResponse password(String username) {
        return request(Map.of("grant_type", "password", "client_id", CLI_CLIENT, "username", username,
                "password", username + "-demo"));
    }

    /** Password login through another public client with direct access grants. */
    public static TokenResponse passwordWithClient(String clientId, String username) {
        return request(Map.of("grant_type", "password", "client_id", clientId, "username", username,
                "password", username + "-demo"));
    }

    public static TokenResponse clientCredentials(String clientId, String secret) {
        return request(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    public static TokenResponse refresh(String clientId, String refreshToken) {
        return request(Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken));
    }

    public static String accessToken(String username) {
        return password(username).accessToken();
    }

    private static TokenResponse request(Map<String, String> form) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(SharedServers.keycloak().realmUrl() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request failed with " + response.statusCode() + ": " + response.body());
            }
            JsonNode json = JSON.readTree(response.body());
            return new TokenResponse(json.path("access_token").asText(), json.path("refresh_token").asText(null),
                    json.path("expires_in").asLong());
        } catch (IOException e) {
            throw new IllegalStateException("token request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public record TokenResponse(String accessToken, String refreshToken, long expiresInSeconds) {
    }
}
