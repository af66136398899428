package io.eventfeeds.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.testsupport.SharedServers;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every OAuth2 flow the realm offers, against the real Keycloak with the realm imported, driven the way the
 * clients drive them: the browser flows go through Keycloak's own login form with an HTTP client that keeps
 * cookies and does not follow redirects.
 */
class OAuthFlowsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:8080/callback";

    private final String realm = SharedServers.keycloak().realmUrl();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /**
     * Cookies kept by hand: the JDK's CookieManager drops Keycloak's cookies for a bare IP host, and a browser's
     * cookie jar is all this test needs of a browser.
     */
    private final Map<String, String> cookies = new LinkedHashMap<>();

    @Test
    void passwordLoginAnswersAccessAndRefreshTokensWithRolesAndAudience() throws Exception {
        JsonNode tokens = token(Map.of("grant_type", "password", "client_id", "feeds-cli", "username", "bob",
                "password", "bob-demo"));
        JsonNode claims = claims(tokens.path("access_token").asText());
        assertThat(tokens.path("refresh_token").asText()).isNotBlank();
        assertThat(claims.path("preferred_username").asText()).isEqualTo("bob");
        assertThat(claims.path("aud").toString()).contains("eventfeeds");
        assertThat(claims.path("realm_access").path("roles").toString()).contains("subscriber", "chat")
                .doesNotContain("publisher");
        assertThat(tokens.path("expires_in").asInt()).isBetween(60, 600);
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        HttpResponse<String> refused = post(realm + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "feeds-cli", "username", "bob", "password", "wrong"));
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    @Test
    void clientCredentialsGiveTheDemoPublisherItsRoleAndAWrongSecretNothing() throws Exception {
        JsonNode tokens = token(Map.of("grant_type", "client_credentials", "client_id", "demo-publisher",
                "client_secret", "demo-publisher-secret"));
        assertThat(claims(tokens.path("access_token").asText()).path("realm_access").path("roles").toString())
                .contains("publisher");
        assertThat(tokens.has("refresh_token")).as("no refresh token for client credentials").isFalse();

        HttpResponse<String> refused = post(realm + "/protocol/openid-connect/token", Map.of("grant_type",
                "client_credentials", "client_id", "demo-publisher", "client_secret", "not-the-secret"));
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    @Test
    void refreshTokenGivesANewAccessTokenForTheSameUser() throws Exception {
        JsonNode first = token(Map.of("grant_type", "password", "client_id", "feeds-cli", "username", "alice",
                "password", "alice-demo"));
        JsonNode refreshed = token(Map.of("grant_type", "refresh_token", "client_id", "feeds-cli",
                "refresh_token", first.path("refresh_token").asText()));
        assertThat(refreshed.path("access_token").asText()).isNotEqualTo(first.path("access_token").asText());
        assertThat(claims(refreshed.path("access_token").asText()).path("sub").asText())
                .isEqualTo(claims(first.path("access_token").asText()).path("sub").asText());
    }

    @Test
    void authorizationCodeWithPkceLogsInThroughKeycloaksFormAndNeedsTheVerifier() throws Exception {
        String verifier = randomUrlSafe(48);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        URI redirect = logIn("feeds-web", "code", Map.of("code_challenge", challenge,
                "code_challenge_method", "S256"), "carol", "carol-demo");
        Map<String, String> answer = query(redirect.getRawQuery());
        assertThat(answer).containsKey("code").containsEntry("state", "s-1");

        HttpResponse<String> withoutVerifier = post(realm + "/protocol/openid-connect/token", Map.of(
                "grant_type", "authorization_code", "client_id", "feeds-web", "code", answer.get("code"),
                "redirect_uri", REDIRECT));
        assertThat(withoutVerifier.statusCode()).as("PKCE is enforced").isEqualTo(400);

        URI again = logIn("feeds-web", "code", Map.of("code_challenge", challenge, "code_challenge_method", "S256"),
                null, null);
        JsonNode tokens = token(Map.of("grant_type", "authorization_code", "client_id", "feeds-web",
                "code", query(again.getRawQuery()).get("code"), "redirect_uri", REDIRECT, "code_verifier", verifier));
        assertThat(claims(tokens.path("access_token").asText()).path("preferred_username").asText()).isEqualTo("carol");
        assertThat(tokens.path("refresh_token").asText()).isNotBlank();
    }

    @Test
    void browserClientWithoutACodeChallengeIsRefused() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(authUrl("feeds-web", "code",
                Map.of()))).GET());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("error=invalid_request")
                .contains("code_challenge");
    }

    @Test
    void browserClientMayNotUseThePasswordGrant() throws Exception {
        HttpResponse<String> refused = post(realm + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "feeds-web", "username", "alice", "password", "alice-demo"));
        assertThat(refused.statusCode()).isIn(400, 401);
        assertThat(refused.body()).contains("unauthorized_client");
    }

    @Test
    void legacyImplicitClientGetsAnAccessTokenInTheFragmentAndNoRefreshToken() throws Exception {
        URI redirect = logIn("feeds-legacy", "token", Map.of("nonce", "n-1"), "alice", "alice-demo");
        Map<String, String> fragment = query(redirect.getRawFragment());
        assertThat(fragment).containsKey("access_token").doesNotContainKey("refresh_token").containsEntry("state", "s-1");
        assertThat(claims(fragment.get("access_token")).path("aud").toString()).contains("eventfeeds");
        assertThat(Integer.parseInt(fragment.get("expires_in"))).as("implicit token lifetime, s").isBetween(60, 300);
    }

    /** Starts a browser flow and, when a user is given, fills Keycloak's login form; returns the final redirect. */
    private URI logIn(String clientId, String responseType, Map<String, String> extra, String user, String password)
            throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(authUrl(clientId, responseType,
                extra))).GET());
        if (user == null) {
            assertThat(page.statusCode()).as("SSO session reused").isEqualTo(302);
            return URI.create(page.headers().firstValue("Location").orElseThrow());
        }
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(page.body());
        assertThat(action.find()).as("login form on the page").isTrue();
        HttpResponse<String> submitted = send(HttpRequest.newBuilder(
                        URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", user, "password", password)))));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(302);
        String location = submitted.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT);
        return URI.create(location);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return response;
    }

    private String authUrl(String clientId, String responseType, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("client_id", clientId, "response_type", responseType,
                "redirect_uri", REDIRECT, "scope", "openid", "state", "s-1"));
        params.putAll(extra);
        return realm + "/protocol/openid-connect/auth?" + form(params);
    }

    private JsonNode token(Map<String, String> form) throws Exception {
        HttpResponse<String> response = post(realm + "/protocol/openid-connect/token", form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
