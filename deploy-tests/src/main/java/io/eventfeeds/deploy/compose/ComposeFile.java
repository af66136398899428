package io.eventfeeds.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
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
        try {
            JsonNode tree = YAML.readTree(yaml);
            if (!(tree instanceof ObjectNode root) || !root.path("services").isObject()) {
                throw new IllegalArgumentException("docker-compose.yml has no services");
            }
            return (ObjectNode) interpolate(root);
        } catch (IOException e) {
            throw new UncheckedIOException("docker-compose.yml is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static JsonNode interpolate(JsonNode node) {
        if (node.isTextual()) {
            Matcher m = VARIABLE.matcher(node.asText());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
            }
            m.appendTail(out);
            return new TextNode(out.toString());
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(interpolate(field.getValue()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, interpolate(node.get(i)));
            }
        }
        return node;
    }

    /** A service's environment, from either the map or the list ({@code NAME=value}) form. */
    public static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        } else if (node.isArray()) {
            for (JsonNode entry : node) {
                String[] pair = entry.asText().split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : null);
            }
        }
        return env;
    }

    /** The command as one string, from either its list or its string form. */
    public static String command(JsonNode service) {
        JsonNode node = service.path("command");
        if (node.isArray()) {
            StringBuilder out = new StringBuilder();
            node.forEach(part -> out.append(out.length() == 0 ? "" : " ").append(part.asText()));
            return out.toString();
        }
        return node.asText("");
    }
}
