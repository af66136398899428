package io.eventfeeds.gateway.security;

import io.eventfeeds.apikey.ApiKeyClaims;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Replaces each token identity with a compact copy before the gateway keeps it: the principal's name, the roles, the
 * attributes, and only the claims the gateway reads.
 *
 * <p>Why: a WebSocket connection holds its identity for its whole life (Quarkus keeps it for the connection, and so
 * does {@link ConnectionAuth}). As quarkus-oidc builds it, the identity carries the raw token, the token's claims
 * as JSON text and again parsed into maps, and the roles as fresh strings: about 11 KiB of the 23 KiB of heap an
 * idle connection cost (a heap dump with 5,000 subscribers, docs/performance.md run N). The compact copy drops the
 * token and its other claims, and shares the role names.
 *
 * <p>What it gives up: the identity has no credential (nothing in the gateway sends the caller's token on) and no
 * permissions from the token's scopes (the gateway checks roles and channel policies, never permissions), so a
 * permission check fails closed. Runs after every other augmentor, which still see the whole token.
 */
@ApplicationScoped
public class IdentityCompaction implements SecurityIdentityAugmentor {

    /** The claims the gateway reads from a caller's token; the others are dropped with it. */
    static final Set<String> KEPT_CLAIMS = Set.of(Claims.sub.name(), Claims.exp.name(), Claims.azp.name(),
            ApiKeyClaims.RATE_LIMIT, ApiKeyClaims.MAX_CONNECTIONS);

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(compact(identity));
    }

    /** The compact copy of a token identity; any other identity as it is. */
    static SecurityIdentity compact(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)
                || token instanceof CompactJwtPrincipal) {
            return identity;
        }
        Map<String, Object> kept = new HashMap<>();
        for (String claim : KEPT_CLAIMS) {
            Object value = token.getClaim(claim);
            if (value != null) {
                kept.put(claim, value);
            }
        }
        // Role names come from a small set that the realm defines; each token parse makes new copies of them.
        QuarkusSecurityIdentity.Builder compact = QuarkusSecurityIdentity.builder()
                .setPrincipal(new CompactJwtPrincipal(token.getName(), kept))
                .addAttributes(identity.getAttributes());
        for (String role : identity.getRoles()) {
            compact.addRole(role.intern());
        }
        return compact.build();
    }
}
