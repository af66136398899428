package io.eventfeeds.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Sends a Quarkus app's API-key exchanges through the shared {@link TokenEndpointProxy}; use it together with
 * {@link KeycloakTestResource}, which points everything else (token validation) at Keycloak directly.
 */
public class TokenEndpointProxyResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("feeds.api-keys.token-endpoint", TokenEndpointProxy.shared().url());
    }

    @Override
    public void stop() {
        // The proxy outlives one application start, like the Keycloak behind it.
    }
}
