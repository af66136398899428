package io.eventfeeds.admin.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.apikey.ApiKeyClaims;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

/** The Keycloak client a key is, before it is sent: the rest is Keycloak's to keep. */
class ApiKeyClientTest {

    private static final Instant CREATED = Instant.parse("2026-12-07T05:10:11.123Z");

    @Test
    void aKeyIsAConfidentialClientWithAServiceAccountAndNothingElse() {
        ClientRepresentation client = ApiKeyClient.representation(new ApiKeyRequest.Create("board",
                List.of("subscriber", "chat"), OptionalInt.empty(), OptionalInt.empty()), "s3cret", CREATED);

        assertThat(client.getClientId()).isEqualTo("apikey-board");
        assertThat(client.getName()).isEqualTo("API key board");
        assertThat(client.getSecret()).isEqualTo("s3cret");
        assertThat(client.isPublicClient()).isFalse();
        assertThat(client.getClientAuthenticatorType()).isEqualTo("client-secret");
        assertThat(client.isServiceAccountsEnabled()).isTrue();
        assertThat(client.isStandardFlowEnabled()).isFalse();
        assertThat(client.isImplicitFlowEnabled()).isFalse();
        assertThat(client.isDirectAccessGrantsEnabled()).isFalse();
        assertThat(client.getDescription())
                .isEqualTo("roles=subscriber chat rate=default max-connections=default created=2026-12-07T05:10:11Z");
        assertThat(client.getProtocolMappers()).singleElement().satisfies(mapper -> {
            assertThat(mapper.getProtocolMapper()).isEqualTo("oidc-audience-mapper");
            assertThat(mapper.getConfig()).containsEntry("included.custom.audience", "eventfeeds")
                    .containsEntry("access.token.claim", "true").containsEntry("id.token.claim", "false");
        });
    }

    /** The claims are named where the services read them (ApiKeyClaims), so a rename cannot reach one side only. */
    @Test
    void theLimitsAreHardCodedIntClaimsUnderTheNamesTheServicesRead() {
        ClientRepresentation client = ApiKeyClient.representation(new ApiKeyRequest.Create("board",
                List.of("publisher"), OptionalInt.of(7), OptionalInt.of(3)), "s3cret", CREATED);

        assertThat(client.getDescription()).startsWith("roles=publisher rate=7 max-connections=3 created=");
        assertThat(client.getProtocolMappers()).extracting(ProtocolMapperRepresentation::getName)
                .containsExactly("eventfeeds-audience", "rate-limit", "max-connections");
        assertThat(mapper(client, "rate-limit").getConfig()).containsEntry("claim.name", ApiKeyClaims.RATE_LIMIT)
                .containsEntry("claim.value", "7").containsEntry("jsonType.label", "int")
                .containsEntry("access.token.claim", "true");
        assertThat(mapper(client, "max-connections").getConfig())
                .containsEntry("claim.name", ApiKeyClaims.MAX_CONNECTIONS).containsEntry("claim.value", "3")
                .containsEntry("jsonType.label", "int");
        assertThat(mapper(client, "rate-limit").getProtocolMapper()).isEqualTo("oidc-hardcoded-claim-mapper");
    }

    @Test
    void everyKeyGetsItsOwnUnguessableSecret() {
        String secret = KeycloakApiKeys.newSecret();
        assertThat(secret).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(KeycloakApiKeys.newSecret());
    }

    private static ProtocolMapperRepresentation mapper(ClientRepresentation client, String name) {
        return client.getProtocolMappers().stream().filter(mapper -> mapper.getName().equals(name)).findFirst()
                .orElseThrow();
    }
}
