package io.eventfeeds.security.clients;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses tokens issued to a client that is not on {@code feeds.auth.allowed-clients} (their {@code azp}), as if
 * the token were invalid (401): on REST, on the WebSocket handshake and on an in-band token refresh alike, since all
 * of them go through Quarkus's identity augmentation.
 */
@ApplicationScoped
public class AllowedClients implements SecurityIdentityAugmentor {

    private final List<String> allowed;

    public AllowedClients(ClientAllowlistConfig config) {
        this.allowed = config.allowedClients().orElse(List.of());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (allowed.isEmpty() || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        String client = jwt.getClaim("azp");
        if (client == null || !isAllowed(client)) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "tokens of client " + client + " are not accepted here (feeds.auth.allowed-clients)"));
        }
        return Uni.createFrom().item(identity);
    }

    boolean isAllowed(String client) {
        for (String entry : allowed) {
            if (entry.endsWith("*") ? client.startsWith(entry.substring(0, entry.length() - 1)) : entry.equals(client)) {
                return true;
            }
        }
        return false;
    }
}
