package io.eventfeeds.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.apikey.ApiKey;
import io.eventfeeds.apikey.ApiKeyClaims;
import io.eventfeeds.testsupport.FreePort;
import io.eventfeeds.testsupport.OperatorTool;
import io.eventfeeds.testsupport.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./platform api-key} against the real Keycloak, as the operator runs it: what it makes is what the services
 * read (roles, audience and the limit claims in the key's tokens), list shows it, revoke removes it, and each refusal
 * is one line with exit code 1.
 */
class ApiKeyOperatorCommandTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aKeyExchangesForATokenWithItsRolesAndLimitsIsListedAndIsGoneOnceRevoked() throws Exception {
        String name = "cmd-" + SUFFIX;
        String output = OperatorTool.run(List.of("api-key", "create", name, "--role", "subscriber", "--role", "chat",
                "--rate", "7", "--max-connections", "3"));
        List<String> lines = output.strip().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("API key '" + name + "' (roles: subscriber chat; rate: 7 per second;"
                + " connections: 3). It is shown only now; store it safely:");
        ApiKey key = ApiKey.parse(lines.get(1)).orElseThrow();
        assertThat(key.clientId()).isEqualTo(ApiKey.CLIENT_PREFIX + name);

        JsonNode claims = claimsOf(Tokens.clientCredentials(key.clientId(), key.secret()).accessToken());
        assertThat(claims.path("realm_access").path("roles")).extracting(JsonNode::asText)
                .contains("subscriber", "chat").doesNotContain("publisher", "admin");
        assertThat(claims.path("aud").toString()).contains("\"eventfeeds\"");
        assertThat(claims.path(ApiKeyClaims.RATE_LIMIT).isInt()).as("rate_limit is a number").isTrue();
        assertThat(claims.path(ApiKeyClaims.RATE_LIMIT).asInt()).isEqualTo(7);
        assertThat(claims.path(ApiKeyClaims.MAX_CONNECTIONS).asInt()).isEqualTo(3);

        String listed = OperatorTool.run(List.of("api-key", "list"));
        assertThat(listed.lines().findFirst()).contains(String.format("%-24s %s", "NAME", "DETAILS"));
        assertThat(listed.lines().filter(line -> line.startsWith(name + " ")))
                .singleElement().asString().matches(name + " +roles=subscriber chat rate=7 max-connections=3"
                        + " created=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(listed).doesNotContain(key.secret());

        assertThat(OperatorTool.run(List.of("api-key", "revoke", name))).startsWith("API key '" + name + "' revoked");
        assertThat(OperatorTool.run(List.of("api-key", "list"))).doesNotContain(name + " ");
        assertThatThrownBy(() -> Tokens.clientCredentials(key.clientId(), key.secret()))
                .hasMessageContaining("token request failed with 401");
    }

    @Test
    void aKeyWithoutLimitsCarriesNoLimitClaimsSoTheServicesDefaultsApply() throws Exception {
        String name = "cmd-plain-" + SUFFIX;
        ApiKey key = ApiKey.parse(OperatorTool.createApiKey(name, "--role", "publisher")).orElseThrow();
        try {
            JsonNode claims = claimsOf(Tokens.clientCredentials(key.clientId(), key.secret()).accessToken());
            assertThat(claims.has(ApiKeyClaims.RATE_LIMIT)).isFalse();
            assertThat(claims.has(ApiKeyClaims.MAX_CONNECTIONS)).isFalse();
            assertThat(OperatorTool.run(List.of("api-key", "list")))
                    .containsPattern(name + " +roles=publisher rate=default max-connections=default created=");
        } finally {
            OperatorTool.revokeApiKey(name);
        }
    }

    @Test
    void aSecondKeyOfTheSameNameIsRefusedAndTheFirstStillWorks() {
        String name = "cmd-twice-" + SUFFIX;
        ApiKey first = ApiKey.parse(OperatorTool.createApiKey(name, "--role", "publisher")).orElseThrow();
        try {
            assertRefused(List.of("api-key", "create", name, "--role", "admin"), Map.of(),
                    "an API key named '" + name + "' already exists (revoke it first)");
            assertThat(Tokens.clientCredentials(first.clientId(), first.secret()).accessToken()).isNotBlank();
        } finally {
            OperatorTool.revokeApiKey(name);
        }
    }

    /** How much sooner the command starts so is measured by hand (README), not here. */
    @Test
    void theFirstSuccessfulCallWritesAClassDataArchiveThatLaterCallsStartFrom(@TempDir Path platformDir)
            throws Exception {
        Path archive = platformDir.resolve("cds").resolve("platform-admin.jsa");
        Map<String, String> fresh = Map.of("PLATFORM_DIR", platformDir.toString());

        assertRefused(List.of("api-key", "revoke", "never-made-" + SUFFIX), fresh,
                "no API key named 'never-made-" + SUFFIX + "'");
        assertThat(archive).as("a failed call loads too little to keep").doesNotExist();
        assertThat(OperatorTool.attempt(List.of("api-key", "list"), fresh).exitCode()).isZero();
        assertThat(archive).isNotEmptyFile();

        Path loaded = platformDir.resolve("class-load.log");
        OperatorTool.Result listed = OperatorTool.attempt(List.of("api-key", "list"), Map.of(
                "PLATFORM_DIR", platformDir.toString(), "JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + loaded));
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(Files.readString(loaded))
                .contains("io.eventfeeds.admin.apikey.ApiKeyCommand source: shared objects file (top)");
    }

    @Test
    void refusalsFromKeycloakAreOneLine() {
        assertRefused(List.of("api-key", "list"), Map.of("KEYCLOAK_ADMIN_PASSWORD", "not-the-password"),
                "Keycloak refused the admin login (set KEYCLOAK_ADMIN_PASSWORD if you changed it)");
        String port = String.valueOf(FreePort.pick());
        assertRefused(List.of("api-key", "list"), Map.of("KEYCLOAK_PORT", port),
                "Keycloak is not answering on port " + port + " with the realm feeds: run ./platform up first");
        // Bad arguments take the same way out; ApiKeyArgumentsTest holds their table without starting a JVM each.
    }

    private static void assertRefused(List<String> args, Map<String, String> environment, String message) {
        OperatorTool.Result result = OperatorTool.attempt(args, environment);
        assertThat(result.exitCode()).as("exit code of %s: %s", args, result.output()).isEqualTo(1);
        assertThat(result.output()).isEqualTo("error: " + message + "\n");
    }

    private static JsonNode claimsOf(String accessToken) throws Exception {
        String payload = accessToken.split("\\.")[1];
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }
}
