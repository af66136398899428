package io.eventfeeds.admin.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.ClientsResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.RoleResource;
import org.keycloak.admin.client.resource.RolesResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * What a real Keycloak cannot be made to do on demand: refuse a role after the client was made. The realm is a
 * stand-in that records what was asked of it (the tests through ./platform cover the real one).
 */
class KeycloakApiKeysTest {

    private final List<String> calls = new ArrayList<>();

    @Test
    void aRoleThatCannotBeGivenLeavesNoKeyBehind() {
        KeycloakApiKeys keys = new KeycloakApiKeys(realmWithout("publisher"), Clock.systemUTC());
        ApiKeyRequest.Create request = new ApiKeyRequest.Create("half", List.of("publisher"), OptionalInt.empty(),
                OptionalInt.empty());

        assertThatThrownBy(() -> keys.create(request)).isInstanceOf(ApiKeyCommandException.class)
                .hasMessage("could not give role publisher to the API key 'half'; nothing was created");
        assertThat(calls).containsExactly("create apikey-half", "role publisher", "remove 3f1c");
    }

    /** A stand-in feeds realm: creating a client gives it the id 3f1c; the role {@code missing} does not exist. */
    private RealmResource realmWithout(String missing) {
        ClientResource client = fake(ClientResource.class, (method, args) -> {
            if (method.equals("remove")) {
                calls.add("remove 3f1c");
                return null;
            }
            throw new UnsupportedOperationException(method);
        });
        ClientsResource clients = fake(ClientsResource.class, (method, args) -> switch (method) {
            case "create" -> {
                calls.add("create " + ((ClientRepresentation) args[0]).getClientId());
                yield Response.created(URI.create("http://keycloak/admin/realms/feeds/clients/3f1c")).build();
            }
            case "get" -> client;
            default -> throw new UnsupportedOperationException(method);
        });
        RolesResource roles = fake(RolesResource.class, (method, args) -> {
            String name = (String) args[0];
            calls.add("role " + name);
            return fake(RoleResource.class, (roleMethod, none) -> {
                if (name.equals(missing)) {
                    throw new NotFoundException("Could not find role");
                }
                RoleRepresentation role = new RoleRepresentation();
                role.setName(name);
                return role;
            });
        });
        return fake(RealmResource.class, (method, args) -> switch (method) {
            case "clients" -> clients;
            case "roles" -> roles;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T fake(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args)));
    }
}
