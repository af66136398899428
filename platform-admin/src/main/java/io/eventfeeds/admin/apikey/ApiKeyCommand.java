package io.eventfeeds.admin.apikey;

import io.eventfeeds.apikey.ApiKey;
import io.eventfeeds.runtime.keycloak.KeycloakLaunch;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.keycloak.admin.client.Keycloak;

/**
 * {@code ./platform api-key ...}: {@code ApiKeyCommand KEYCLOAK-URL create NAME --role ROLE [--role ROLE] [--rate N]
 * [--max-connections N] | list | revoke NAME}, with the bootstrap admin's password in the environment variable
 * KEYCLOAK_ADMIN_PASSWORD. The arguments are checked before Keycloak is contacted. Any failure is one line
 * {@code error: ...} on standard error and exit code 1, as for the script's own errors.
 */
public final class ApiKeyCommand {

    private final PrintStream out;

    ApiKeyCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        try {
            new ApiKeyCommand(System.out).run(Arrays.asList(args), System.getenv());
        } catch (ApiKeyCommandException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            // Anything else is a Keycloak answer nobody expected: still one line, with what it was.
            System.err.println("error: Keycloak failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    void run(List<String> args, Map<String, String> environment) {
        if (args.isEmpty()) {
            throw new ApiKeyCommandException("the Keycloak URL is needed before the api-key command");
        }
        URI server = URI.create(args.get(0));
        ApiKeyRequest request = ApiKeyArguments.parse(args.subList(1, args.size()));
        try (Keycloak keycloak = KeycloakAdminLogin.login(server, environment.get("KEYCLOAK_ADMIN_PASSWORD"))) {
            KeycloakApiKeys keys = new KeycloakApiKeys(keycloak.realm(KeycloakLaunch.REALM), Clock.systemUTC());
            // Java 17 has no pattern switch over the sealed requests yet.
            if (request instanceof ApiKeyRequest.Create create) {
                created(create, keys.create(create));
            } else if (request instanceof ApiKeyRequest.Revoke revoke) {
                revoked(revoke.name(), keys.revoke(revoke.name()));
            } else {
                listed(keys.list());
            }
        }
    }

    private void created(ApiKeyRequest.Create request, ApiKey key) {
        out.println("API key '" + request.name() + "' (roles: " + String.join(" ", request.roles()) + "; rate: "
                + ApiKeyClient.orDefault(request.rate()) + " per second; connections: "
                + ApiKeyClient.orDefault(request.maxConnections()) + "). It is shown only now; store it safely:");
        // The last line, alone: scripts (and test-support's OperatorTool) take the key from it.
        out.println(key.encoded());
    }

    private void listed(List<KeycloakApiKeys.Listed> keys) {
        out.printf("%-24s %s%n", "NAME", "DETAILS");
        keys.forEach(key -> out.printf("%-24s %s%n", key.name(), key.details()));
    }

    private void revoked(String name, boolean found) {
        if (!found) {
            throw new ApiKeyCommandException("no API key named '" + name + "'");
        }
        out.println("API key '" + name + "' revoked: the services refuse it, and the gateway closes its open"
                + " connections, within 60 s (by default).");
    }
}
