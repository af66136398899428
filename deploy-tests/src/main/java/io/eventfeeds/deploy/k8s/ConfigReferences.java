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
 * Every ConfigMap and Secret (and key) that a pod, the Ingress or an operator's resource names: it must be in the
 * overlay, or listed in k8s/README.md as one the cluster's operator provides, for a pod that names a missing one
 * does not start.
 */
final class ConfigReferences {

    /** The keys of the Secret Strimzi makes for a SCRAM-SHA-512 KafkaUser. */
    static final Set<String> KAFKA_USER_SECRET_KEYS = Set.of("password", "sasl.jaas.config");
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\|([^|]*)\\|");
    private static final Pattern KEY = Pattern.compile("`([^`]+)`");

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
        for (JsonNode deployment : manifest.kind("Deployment")) {
            String where = "Deployment " + name(deployment);
            each(deployment.at("/spec/template/spec/containers")).forEach(container -> {
                String inContainer = where + " container " + container.path("name").asText();
                each(container.path("envFrom")).forEach(from -> {
                    reference(references, inContainer, "ConfigMap", from.path("configMapRef"), "name", null);
                    reference(references, inContainer, "Secret", from.path("secretRef"), "name", null);
                });
                each(container.path("env")).map(env -> env.path("valueFrom")).forEach(from -> {
                    reference(references, inContainer, "ConfigMap", from.path("configMapKeyRef"), "name", "key");
                    reference(references, inContainer, "Secret", from.path("secretKeyRef"), "name", "key");
                });
            });
            each(deployment.at("/spec/template/spec/volumes")).forEach(volume -> {
                reference(references, where, "ConfigMap", volume.path("configMap"), "name", null);
                reference(references, where, "Secret", volume.path("secret"), "secretName", null);
            });
        }
        for (JsonNode ingress : manifest.kind("Ingress")) {
            each(ingress.at("/spec/tls")).forEach(tls -> {
                String secret = tls.path("secretName").asText(null);
                for (String key : List.of("tls.crt", "tls.key")) {
                    references.add(new Reference("Ingress " + name(ingress), "Secret", secret, key));
                }
            });
        }
        for (JsonNode keycloak : manifest.kind("Keycloak")) {
            String where = "Keycloak " + name(keycloak);
            reference(references, where, "Secret", keycloak.at("/spec/db/usernameSecret"), "name", "key");
            reference(references, where, "Secret", keycloak.at("/spec/db/passwordSecret"), "name", "key");
            if (keycloak.at("/spec/http/tlsSecret").isTextual()) {
                references.add(new Reference(where, "Secret", keycloak.at("/spec/http/tlsSecret").asText(), "tls.crt"));
            }
        }
        for (JsonNode realmImport : manifest.kind("KeycloakRealmImport")) {
            realmImport.at("/spec/placeholders").forEach(placeholder -> reference(references,
                    "KeycloakRealmImport " + name(realmImport), "Secret", placeholder.path("secret"), "name", "key"));
        }
        return references.stream().flatMap(r -> r.problem(r.kind().equals("Secret") ? secrets : configMaps).stream()).toList();
    }

    private static void reference(List<Reference> references, String where, String kind, JsonNode ref, String name, String key) {
        if (ref.has(name)) {
            references.add(new Reference(where, kind, ref.path(name).asText(), key == null ? null : ref.path(key).asText()));
        }
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
