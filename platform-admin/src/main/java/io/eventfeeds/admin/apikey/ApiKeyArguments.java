package io.eventfeeds.admin.apikey;

import io.eventfeeds.apikey.ApiKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the words after {@code ./platform api-key}. Every mistake is an {@link ApiKeyCommandException} with the
 * line the operator sees, found before Keycloak is contacted, so a typo never half-changes the realm.
 */
public final class ApiKeyArguments {

    /** The feeds realm's roles a key may hold (auth-config's feeds-realm.json). */
    public static final List<String> ROLES = List.of("subscriber", "chat", "publisher", "admin");
    static final String USAGE = "usage: ./platform api-key create NAME --role ROLE [--rate N] [--max-connections N]"
            + " | list | revoke NAME";
    static final String CREATE_USAGE =
            "usage: ./platform api-key create NAME --role ROLE [--role ROLE] [--rate N] [--max-connections N]";
    static final String REVOKE_USAGE = "usage: ./platform api-key revoke NAME";
    /** Up to 999999: the claim is an int in the token, and a larger limit is a typo rather than a wish. */
    private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,5}");

    private ApiKeyArguments() {
    }

    public static ApiKeyRequest parse(List<String> args) {
        if (args.isEmpty()) {
            throw new ApiKeyCommandException(USAGE);
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "create" -> create(rest);
            case "list" -> {
                if (!rest.isEmpty()) {
                    throw new ApiKeyCommandException("usage: ./platform api-key list");
                }
                yield new ApiKeyRequest.ListKeys();
            }
            case "revoke" -> {
                if (rest.size() != 1) {
                    throw new ApiKeyCommandException(REVOKE_USAGE);
                }
                yield new ApiKeyRequest.Revoke(name(rest.get(0)));
            }
            default -> throw new ApiKeyCommandException(USAGE);
        };
    }

    private static ApiKeyRequest.Create create(List<String> args) {
        if (args.isEmpty() || args.get(0).isEmpty()) {
            throw new ApiKeyCommandException(CREATE_USAGE);
        }
        String name = name(args.get(0));
        Set<String> roles = new LinkedHashSet<>();
        OptionalInt rate = OptionalInt.empty();
        OptionalInt connections = OptionalInt.empty();
        for (int i = 1; i < args.size(); i += 2) {
            String option = args.get(i);
            if (!List.of("--role", "--rate", "--max-connections").contains(option)) {
                throw new ApiKeyCommandException("unknown option '" + option + "' for api-key create");
            }
            if (i + 1 >= args.size()) {
                throw new ApiKeyCommandException(option + " needs a value");
            }
            String value = args.get(i + 1);
            switch (option) {
                case "--role" -> {
                    if (!ROLES.contains(value)) {
                        throw new ApiKeyCommandException("unknown role '" + value + "' (" + String.join(", ", ROLES)
                                + ")");
                    }
                    roles.add(value);
                }
                case "--rate" -> rate = positive(value, "--rate must be a positive number of requests per second");
                default -> connections = positive(value,
                        "--max-connections must be a positive number of open WebSocket connections");
            }
        }
        if (roles.isEmpty()) {
            throw new ApiKeyCommandException("an API key needs at least one --role (" + String.join(", ", ROLES) + ")");
        }
        return new ApiKeyRequest.Create(name, new ArrayList<>(roles), rate, connections);
    }

    private static String name(String name) {
        if (!ApiKey.isName(name)) {
            throw new ApiKeyCommandException("API key name '" + name
                    + "' must be lowercase letters, digits and '-' (at most 63)");
        }
        return name;
    }

    private static OptionalInt positive(String value, String message) {
        if (!POSITIVE.matcher(value).matches()) {
            throw new ApiKeyCommandException(message);
        }
        return OptionalInt.of(Integer.parseInt(value));
    }
}
