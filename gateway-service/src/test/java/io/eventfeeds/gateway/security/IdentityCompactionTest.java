package io.eventfeeds.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventfeeds.apikey.ApiKeyClaims;
import io.quarkus.security.StringPermission;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class IdentityCompactionTest {

    private static final String RAW_TOKEN = "eyJhbGciOiJSUzI1NiJ9.claims.signature";

    /** A token principal as quarkus-oidc gives it, with more claims than the gateway reads. */
    private record FullToken(Map<String, Object> claims) implements JsonWebToken {
        @Override
        public String getName() {
            return "alice";
        }

        @Override
        public Set<String> getClaimNames() {
            return claims.keySet();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            return (T) claims.get(claimName);
        }
    }

    private static SecurityIdentity tokenIdentity() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "f3a1-alice");
        claims.put("exp", 1_796_694_730L);
        claims.put("azp", "demo-web");
        claims.put(ApiKeyClaims.MAX_CONNECTIONS, 40L);
        claims.put(ApiKeyClaims.RATE_LIMIT, 25L);
        claims.put("email", "alice@example.com");
        claims.put("raw_token", RAW_TOKEN);
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new FullToken(claims))
                .addRoles(Set.of(new String("subscriber"), "publisher"))
                .addCredential(new TokenCredential(RAW_TOKEN, "bearer"))
                .addPermissionAsString("profile")
                .addAttribute("quarkus.identity.expire-time", 1_796_694_730L)
                .build();
    }

    @Test
    void keepsTheNameRolesAttributesAndTheClaimsTheGatewayReadsWithTheirValues() {
        SecurityIdentity compact = IdentityCompaction.compact(tokenIdentity());

        JsonWebToken token = (JsonWebToken) compact.getPrincipal();
        assertThat(token).isInstanceOf(CompactJwtPrincipal.class);
        assertThat(token.getName()).isEqualTo("alice");
        assertThat(token.getSubject()).isEqualTo("f3a1-alice");
        assertThat(token.getExpirationTime()).isEqualTo(1_796_694_730L);
        assertThat(token.<String>getClaim("azp")).isEqualTo("demo-web");
        assertThat(token.<Long>getClaim(ApiKeyClaims.MAX_CONNECTIONS)).isEqualTo(40L);
        assertThat(token.<Long>getClaim(ApiKeyClaims.RATE_LIMIT)).isEqualTo(25L);
        assertThat(token.getClaimNames()).containsExactlyInAnyOrderElementsOf(IdentityCompaction.KEPT_CLAIMS);
        assertThat(compact.getRoles()).containsExactlyInAnyOrder("subscriber", "publisher");
        assertThat(compact.hasRole("subscriber")).isTrue();
        assertThat(compact.<Long>getAttribute("quarkus.identity.expire-time")).isEqualTo(1_796_694_730L);
    }

    @Test
    void dropsTheTokenItsOtherClaimsAndItsScopePermissions() {
        SecurityIdentity compact = IdentityCompaction.compact(tokenIdentity());

        assertThat(compact.getCredentials()).isEmpty();
        JsonWebToken token = (JsonWebToken) compact.getPrincipal();
        assertThatThrownBy(token::getRawToken).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'raw_token' is not kept");
        assertThatThrownBy(() -> token.getClaim("email")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IdentityCompaction.KEPT_CLAIMS");
        assertThat(compact.checkPermissionBlocking(new StringPermission("profile"))).isFalse();
    }

    @Test
    void aKeptClaimTheTokenDoesNotHaveIsNull() {
        SecurityIdentity identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new FullToken(Map.of("sub", "f3a1-alice"))).build();

        JsonWebToken token = (JsonWebToken) IdentityCompaction.compact(identity).getPrincipal();

        assertThat(token.<Object>getClaim(ApiKeyClaims.MAX_CONNECTIONS)).isNull();
        assertThat(token.getClaimNames()).containsExactly("sub");
    }

    @Test
    void roleNamesAreSharedAcrossIdentities() {
        String first = IdentityCompaction.compact(tokenIdentity()).getRoles().stream()
                .filter("subscriber"::equals).findFirst().orElseThrow();
        String second = IdentityCompaction.compact(tokenIdentity()).getRoles().stream()
                .filter("subscriber"::equals).findFirst().orElseThrow();

        assertThat(first).isSameAs(second);
    }

    @Test
    void identitiesWithoutATokenAndCompactOnesStayAsTheyAre() {
        SecurityIdentity anonymous = QuarkusSecurityIdentity.builder().setAnonymous(true).build();
        SecurityIdentity plain = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("ops")).build();
        SecurityIdentity compact = IdentityCompaction.compact(tokenIdentity());

        assertThat(IdentityCompaction.compact(anonymous)).isSameAs(anonymous);
        assertThat(IdentityCompaction.compact(plain)).isSameAs(plain);
        assertThat(IdentityCompaction.compact(compact)).isSameAs(compact);
    }
}
