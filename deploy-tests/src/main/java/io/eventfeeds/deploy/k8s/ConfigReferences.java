package io.eventfeeds.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every ConfigMap and Secret (and key) that a pod, the Ingress or an operator's resource names: it must be in the
 * overlay, or listed in k8s/README.md as one the cluster's operator provides.
 */
final class ConfigReferences {

    private static final Pattern KEY = Pattern.compile("`([^`]+)`");
    /** The keys of the Secret Strimzi makes for a SCRAM-SHA-512 KafkaUser. */
    static final Set<String> KAFKA_USER_SECRET_KEYS = Set.of("password", "sasl.jaas.config");

    private ConfigReferences() {
    }

    /**
     * Every ConfigMap and Secret (and key) that a pod, the Ingress or an operator's resource names exists in the
     * overlay or is listed in k8s/README.md as provided by the operator.
     */
    static List<String> problems(List<HasMetadata> objects, Map<String, Set<String>> operatorProvided) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> secrets = new HashMap<>(operatorProvided);
        for (Secret secret : Objects.ofKind(objects, Secret.class)) {
            secrets.computeIfAbsent(name(secret), n -> new TreeSet<>()).addAll(secretKeys(secret));
        }
        // Strimzi's user operator makes a Secret named after each KafkaUser with SCRAM authentication.
        for (GenericKubernetesResource user : Objects.custom(objects, "KafkaUser")) {
            if ("scram-sha-512".equals(Objects.at(user, "spec", "authentication", "type").orElse(null))) {
                secrets.computeIfAbsent(name(user), n -> new TreeSet<>()).addAll(KAFKA_USER_SECRET_KEYS);
            }
        }
        Map<String, Set<String>> configMaps = new HashMap<>();
        for (ConfigMap map : Objects.ofKind(objects, ConfigMap.class)) {
            configMaps.put(name(map), map.getData() == null ? Set.of() : map.getData().keySet());
        }
        for (Deployment deployment : Objects.ofKind(objects, Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            for (Container container : pod.getContainers()) {
                String where = where(deployment, container);
                for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
                    if (from.getConfigMapRef() != null) {
                        problems.addAll(exists(where, "ConfigMap", configMaps, from.getConfigMapRef().getName(), null));
                    }
                    if (from.getSecretRef() != null) {
                        problems.addAll(exists(where, "Secret", secrets, from.getSecretRef().getName(), null));
                    }
                }
                for (EnvVar env : nullSafe(container.getEnv())) {
                    if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                        var ref = env.getValueFrom().getConfigMapKeyRef();
                        problems.addAll(exists(where, "ConfigMap", configMaps, ref.getName(), ref.getKey()));
                    }
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        var ref = env.getValueFrom().getSecretKeyRef();
                        problems.addAll(exists(where, "Secret", secrets, ref.getName(), ref.getKey()));
                    }
                }
            }
            for (Volume volume : nullSafe(pod.getVolumes())) {
                if (volume.getConfigMap() != null) {
                    problems.addAll(exists("Deployment " + name(deployment), "ConfigMap", configMaps, volume.getConfigMap().getName(), null));
                }
                if (volume.getSecret() != null) {
                    problems.addAll(exists("Deployment " + name(deployment), "Secret", secrets, volume.getSecret().getSecretName(), null));
                }
            }
        }
        for (Ingress ingress : Objects.ofKind(objects, Ingress.class)) {
            for (IngressTLS tls : nullSafe(ingress.getSpec().getTls())) {
                if (tls.getSecretName() != null) {
                    problems.addAll(exists("Ingress " + name(ingress), "Secret", secrets, tls.getSecretName(), "tls.crt"));
                    problems.addAll(exists("Ingress " + name(ingress), "Secret", secrets, tls.getSecretName(), "tls.key"));
                }
            }
        }
        for (GenericKubernetesResource keycloak : Objects.custom(objects, "Keycloak")) {
            String where = "Keycloak " + name(keycloak);
            for (String field : List.of("usernameSecret", "passwordSecret")) {
                Objects.at(keycloak, "spec", "db", field).ifPresent(ref -> {
                    Map<?, ?> r = (Map<?, ?>) ref;
                    problems.addAll(exists(where, "Secret", secrets, (String) r.get("name"), (String) r.get("key")));
                });
            }
            Objects.at(keycloak, "spec", "http", "tlsSecret")
                    .ifPresent(name -> problems.addAll(exists(where, "Secret", secrets, (String) name, "tls.crt")));
        }
        for (GenericKubernetesResource realmImport : Objects.custom(objects, "KeycloakRealmImport")) {
            Object placeholders = Objects.at(realmImport, "spec", "placeholders").orElse(Map.of());
            for (Object placeholder : ((Map<?, ?>) placeholders).values()) {
                Map<?, ?> secret = (Map<?, ?>) ((Map<?, ?>) placeholder).get("secret");
                problems.addAll(exists("KeycloakRealmImport " + name(realmImport), "Secret", secrets,
                        (String) secret.get("name"), (String) secret.get("key")));
            }
        }
        return problems;
    }

    private static List<String> exists(String where, String kind, Map<String, Set<String>> known, String name, String key) {
        if (!known.containsKey(name)) {
            return List.of(where + " references " + kind + " " + name
                    + ", which the overlay does not contain and k8s/README.md does not list as provided by the operator");
        }
        Set<String> keys = known.get(name);
        if (key != null && !keys.contains(key)) {
            return List.of(where + " references key " + key + " of " + kind + " " + name + ", which has only " + keys);
        }
        return List.of();
    }

    /**
     * The Secrets k8s/README.md tells operators to create: the rows of the table under "Secrets you provide",
     * first column the name, second the keys (each in backquotes).
     */
    static Map<String, Set<String>> operatorProvidedSecrets(String readme) {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("## ")) {
                inSection = line.toLowerCase().contains("secrets you provide");
                continue;
            }
            if (!inSection || !line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String name = cells[1].trim().replace("`", "");
            Set<String> keys = new TreeSet<>();
            Matcher key = KEY.matcher(cells[2]);
            while (key.find()) {
                keys.add(key.group(1));
            }
            secrets.put(name, keys);
        }
        return secrets;
    }

    static Set<String> secretKeys(Secret secret) {
        Set<String> keys = new TreeSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return keys;
    }

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    private static String where(Deployment deployment, Container container) {
        return "Deployment " + name(deployment) + " container " + container.getName();
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
