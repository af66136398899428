package io.eventfeeds.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a Quarkus app under test at the shared real Keycloak server and its feeds realm. */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.oidc.auth-server-url", SharedServers.keycloak().realmUrl());
    }

    @Override
    public void stop() {
        // The server outlives one application start; SharedServers stops it when the JVM exits.
    }
}
