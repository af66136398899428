package io.eventfeeds.deploy.k8s;

import static io.eventfeeds.deploy.k8s.Manifest.each;
import static io.eventfeeds.deploy.k8s.Manifest.fieldNames;
import static io.eventfeeds.deploy.k8s.Manifest.name;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every ConfigMap and Secret (and key) that an object of the overlay names must be in the overlay, or listed in
 * k8s/README.md as one the cluster's operator provides: a pod that names a missing one does not start.
 */
final class ConfigReferences {

    /** The keys of the Secret Strimzi makes for a SCRAM-SHA-512 KafkaUser. */
    static final Set<String> KAFKA_USER_SECRET_KEYS = Set.of("password", "sasl.jaas.config");
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\|([^|]*)\\|");
    private static final Pattern KEY = Pattern.compile("`([^`]+)`");

    /** A field that names a ConfigMap or Secret, anywhere in an object: where its value holds the name and the key. */
    private record Shape(String field, String kind, String nameField, String keyField) {
    }

    /** Pods' envFrom, env and volumes; Keycloak's database credentials; the realm import's placeholders. */
    private static final List<Shape> SHAPES = List.of(new Shape("configMapRef", "ConfigMap", "name", null),
            new Shape("secretRef", "Secret", "name", null), new Shape("configMapKeyRef", "ConfigMap", "name", "key"),
            new Shape("secretKeyRef", "Secret", "name", "key"), new Shape("configMap", "ConfigMap", "name", null),
            new Shape("secret", "Secret", "secretName", null), new Shape("secret", "Secret", "name", "key"),
            new Shape("usernameSecret", "Secret", "name", "key"), new Shape("passwordSecret", "Secret", "name", "key"));

    /** A reference from {@code where} to a ConfigMap or Secret, and to one of its keys when {@code key} is set. */
    private record Reference(String where, String kind, String name, String key) {
        Optional<String> problem(Map<String, Set<String>> known) {
            if (!known.containsKey(name)) {
                return Optional.of(where + " references " + kind + " " + name
                        + ", which the overlay does not contain and k8s/README.md does not list as provided by the operator");
            }
            return key == null || known.get(name).contains(key) ? Optional.empty() : Optional.of(where + " references key "
                    + key + " of " + kind + " " + name + ", which has only " + known.get(name));
        }
    }

    private ConfigReferences() {
    }

    static List<String> problems(Manifest manifest, Map<String, Set<String>> operatorProvided) {
        Map<String, Set<String>> secrets = new HashMap<>(operatorProvided);
        manifest.kind("Secret").forEach(s -> secrets.put(name(s), fieldNames(s.path("data"), s.path("stringData"))));
        // Strimzi's user operator makes a Secret named after each KafkaUser with SCRAM authentication.
        manifest.kind("KafkaUser").stream().filter(u -> "scram-sha-512".equals(u.at("/spec/authentication/type").asText()))
                .forEach(user -> secrets.put(name(user), KAFKA_USER_SECRET_KEYS));
        Map<String, Set<String>> configMaps = new HashMap<>();
        manifest.kind("ConfigMap").forEach(map -> configMaps.put(name(map), fieldNames(map.path("data"))));

        List<Reference> references = new ArrayList<>();
        for (JsonNode object : manifest.kind("Deployment", "Keycloak", "KeycloakRealmImport")) {
            collect(object.path("spec"), object.path("kind").asText() + " " + name(object), references);
        }
        // TLS certificates: an entry without a secretName falls back to the ingress controller's own certificate.
        manifest.kind("Ingress").forEach(ingress -> each(ingress.at("/spec/tls")).forEach(tls -> List.of("tls.crt", "tls.key")
                .forEach(key -> references.add(new Reference("Ingress " + name(ingress), "Secret", tls.path("secretName").asText(null), key)))));
        manifest.kind("Keycloak").stream().filter(k -> k.at("/spec/http/tlsSecret").isTextual()).forEach(keycloak -> references.add(
                new Reference("Keycloak " + name(keycloak), "Secret", keycloak.at("/spec/http/tlsSecret").asText(), "tls.crt")));
        return references.stream().flatMap(r -> r.problem(r.kind().equals("Secret") ? secrets : configMaps).stream()).toList();
    }

    private static void collect(JsonNode node, String where, List<Reference> references) {
        node.fields().forEachRemaining(field -> SHAPES.stream()
                .filter(shape -> shape.field().equals(field.getKey()) && field.getValue().has(shape.nameField()))
                .forEach(shape -> references.add(new Reference(where, shape.kind(), field.getValue().path(shape.nameField()).asText(),
                        shape.keyField() == null ? null : field.getValue().path(shape.keyField()).asText()))));
        node.forEach(child -> collect(child, where, references));
    }

    /**
     * The Secrets k8s/README.md tells operators to create: the rows of the table under "Secrets you provide",
     * first column the name, second the keys (each in backquotes).
     */
    static Map<String, Set<String>> operatorProvidedSecrets(String readme) {
        String section = readme.substring(readme.indexOf("## Secrets you provide"));
        section = section.substring(0, section.indexOf("\n## ") < 0 ? section.length() : section.indexOf("\n## "));
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        TABLE_ROW.matcher(section).results().forEach(row -> secrets.put(row.group(1),
                new TreeSet<>(KEY.matcher(row.group(2)).results().map(key -> key.group(1)).toList())));
        return secrets;
    }
}
