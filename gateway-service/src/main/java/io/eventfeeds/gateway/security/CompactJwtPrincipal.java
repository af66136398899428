package io.eventfeeds.gateway.security;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A caller's token reduced to the claims the gateway reads ({@link IdentityCompaction#KEPT_CLAIMS}), with their
 * values as the full token gave them.
 *
 * <p>Asking for any other claim is a programming error, not an absent claim: it fails, so that new code reading a
 * claim the gateway does not keep shows up in the first test that uses it rather than as a silent {@code null}.
 */
public final class CompactJwtPrincipal implements JsonWebToken {

    private final String name;
    private final Map<String, Object> claims;

    CompactJwtPrincipal(String name, Map<String, Object> claims) {
        this.name = name;
        this.claims = Map.copyOf(claims);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Set<String> getClaimNames() {
        return claims.keySet();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        if (!IdentityCompaction.KEPT_CLAIMS.contains(claimName)) {
            throw new IllegalArgumentException("claim '" + claimName + "' is not kept on the gateway's identities; "
                    + "add it to IdentityCompaction.KEPT_CLAIMS if the gateway needs it");
        }
        return (T) claims.get(claimName);
    }

    @Override
    public String toString() {
        return "CompactJwtPrincipal[" + name + "]";
    }
}
