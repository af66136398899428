package io.eventfeeds.deploy.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml as a tree, with variables interpolated as {@code docker compose} does when the environment sets
 * none of them ({@code ${NAME:-default}} becomes the default). There is no Compose implementation for the JVM on
 * Maven Central, so this small part of the Compose specification (interpolation, the short and long forms of
 * {@code environment}) is written here.
 */
public final class ComposeFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private ComposeFile() {
    }

    public static ObjectNode parse(String yaml) {
        String interpolated = VARIABLE.matcher(yaml).replaceAll(m -> Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        try {
            return (ObjectNode) YAML.readTree(interpolated);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("docker-compose.yml is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** A service's environment, from either the map or the list ({@code NAME=value}) form. */
    public static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        node.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        if (node.isArray()) {
            node.forEach(entry -> env.put(entry.asText().split("=", 2)[0], entry.asText().contains("=") ? entry.asText().split("=", 2)[1] : null));
        }
        return env;
    }

    /** The command as one string, from either its list or its string form. */
    public static String command(JsonNode service) {
        JsonNode node = service.path("command");
        return node.isArray() ? String.join(" ", YAML.convertValue(node, String[].class)) : node.asText("");
    }
}
