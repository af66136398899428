package io.eventfeeds.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A rendered overlay as JSON trees: typed and custom resources alike are walked with paths, where a missing field
 * is an empty node rather than a null to test at every level. It is rendered with {@code kubectl kustomize}, the same
 * renderer as {@code kubectl apply -k}, and parsed into typed fabric8 objects first (custom resources such as
 * Strimzi's and Keycloak's become {@code GenericKubernetesResource}), which tests may break.
 */
public final class Manifest {

    public static final String GATEWAY = "gateway-service";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<JsonNode> objects;

    public Manifest(List<HasMetadata> objects) {
        this.objects = objects.stream().map(o -> SERIALIZATION.convertValue(o, JsonNode.class)).toList();
    }

    public static String render(Path kustomizationDir) {
        String command = "kubectl kustomize " + kustomizationDir;
        try {
            Process process = new ProcessBuilder(System.getProperty("eventfeeds.kubectl", "kubectl"), "kustomize",
                    kustomizationDir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            // Read stdout while the process runs so that a large rendering cannot fill the pipe and block it.
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " failed or did not finish in 60 s (its error is above)");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed to render the Kubernetes manifests (" + command + "): install"
                    + " it (it ships kustomize), or point -Deventfeeds.kubectl=/path/to/kubectl at it. Cause: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + kustomizationDir, e);
        }
    }

    /** Parses a multi-document YAML stream into typed objects, in order. */
    public static List<HasMetadata> parse(String yaml) {
        return SERIALIZATION.unmarshal(yaml);
    }

    public List<JsonNode> kind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    public Optional<JsonNode> named(String kind, String name) {
        return kind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    public static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    public static Stream<JsonNode> each(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** The Deployments whose pod template a (non-empty) selector picks: its labels are all among the template's. */
    public List<JsonNode> deploymentsSelectedBy(JsonNode matchLabels) {
        return kind("Deployment").stream().filter(d -> !matchLabels.isEmpty() && matchLabels.properties().stream().allMatch(label ->
                d.at("/spec/template/metadata/labels").path(label.getKey()).equals(label.getValue()))).toList();
    }

    /** A container's environment as the kubelet builds it: envFrom ConfigMaps and Secrets, then env over them. */
    public Map<String, String> environment(JsonNode container) {
        Map<String, String> environment = new LinkedHashMap<>();
        each(container.path("envFrom")).forEach(from -> {
            named("ConfigMap", from.at("/configMapRef/name").asText()).ifPresent(map -> map.path("data").fields()
                    .forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText())));
            named("Secret", from.at("/secretRef/name").asText()).ifPresent(secret -> Stream.of("data", "stringData")
                    .forEach(field -> secret.path(field).fieldNames().forEachRemaining(key -> environment.put(key, null))));
        });
        each(container.path("env")).forEach(env -> environment.put(env.path("name").asText(), env.path("value").asText(null)));
        return environment;
    }

    /** The host of the first Ingress rule with a path to the given Service. */
    public Optional<String> hostServing(String service) {
        return kind("Ingress").stream().flatMap(ingress -> each(ingress.at("/spec/rules")))
                .filter(rule -> each(rule.at("/http/paths")).anyMatch(p -> service.equals(p.at("/backend/service/name").asText())))
                .map(rule -> rule.path("host").asText()).findFirst();
    }

    /** The browser origin of the gateway: https://HOST (http:// without TLS) of the Ingress rule that routes to it. */
    public Optional<String> gatewayOrigin() {
        return hostServing(GATEWAY).map(host -> (kind("Ingress").stream().flatMap(ingress -> each(ingress.at("/spec/tls")))
                .anyMatch(tls -> each(tls.path("hosts")).anyMatch(h -> h.asText().equals(host))) ? "https://" : "http://") + host);
    }
}
