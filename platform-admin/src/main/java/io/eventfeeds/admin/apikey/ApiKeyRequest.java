package io.eventfeeds.admin.apikey;

import java.util.List;
import java.util.OptionalInt;

/** What the operator asked {@code ./platform api-key} to do, already checked: nothing here needs Keycloak yet. */
public sealed interface ApiKeyRequest {

    /** A new key: its name, its realm roles, and the limits its tokens carry (absent: the services' defaults). */
    record Create(String name, List<String> roles, OptionalInt rate, OptionalInt maxConnections)
            implements ApiKeyRequest {

        public Create {
            roles = List.copyOf(roles);
        }
    }

    record ListKeys() implements ApiKeyRequest {
    }

    record Revoke(String name) implements ApiKeyRequest {
    }
}
