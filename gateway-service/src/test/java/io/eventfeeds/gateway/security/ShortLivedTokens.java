package io.eventfeeds.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.testsupport.KeycloakAdmin;
import io.eventfeeds.testsupport.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;

/**
 * Real tokens that expire within seconds: a public client of the test Keycloak with its own
 * {@code access.token.lifespan} (the realm and the other clients keep theirs) and the eventfeeds audience.
 */
final class ShortLivedTokens {

    static final String CLIENT = "ws-short-lived";
    static final int LIFESPAN_SECONDS = 6;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ShortLivedTokens() {
    }

    static String of(String user) {
        KeycloakAdmin.createClient("{\"clientId\":\"" + CLIENT + "\",\"publicClient\":true,"
                + "\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false,"
                + "\"attributes\":{\"access.token.lifespan\":\"" + LIFESPAN_SECONDS + "\"},"
                + "\"protocolMappers\":[{\"name\":\"aud\",\"protocol\":\"openid-connect\","
                + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.custom.audience\":\"eventfeeds\","
                + "\"access.token.claim\":\"true\"}}]}");
        return Tokens.passwordWithClient(CLIENT, user).accessToken();
    }

    /** The token's {@code exp}, read without validation (the gateway does the validating). */
    static Instant expiryOf(String token) {
        try {
            return Instant.ofEpochSecond(JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]))
                    .path("exp").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
