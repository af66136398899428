package io.eventfeeds.deploy.kustomize;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders an overlay with {@code kubectl kustomize}, the same renderer as {@code kubectl apply -k}, and parses the
 * result into typed fabric8 objects (custom resources such as Strimzi's and Keycloak's become
 * {@code GenericKubernetesResource}).
 */
public final class Kustomize {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Kustomize() {
    }

    public static String render(Path kustomizationDir) {
        String kubectl = System.getProperty("eventfeeds.kubectl", "kubectl");
        Process process;
        try {
            process = new ProcessBuilder(kubectl, "kustomize", kustomizationDir.toString())
                    .redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed to render the Kubernetes manifests (kubectl kustomize "
                    + kustomizationDir + ") and was not found on PATH: install it (it ships kustomize), or point "
                    + "-Deventfeeds.kubectl=/path/to/kubectl at it. Cause: " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            // Read stdout while the process runs so that a large rendering cannot fill the pipe and block it.
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + kustomizationDir + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + kustomizationDir + " failed: "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("reading kubectl's output failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + kustomizationDir, e);
        }
    }

    /** Parses a multi-document YAML stream into typed objects, in order. */
    public static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (parsed instanceof HasMetadata object) {
                objects.add(object);
            } else {
                throw new IllegalStateException("not a Kubernetes object: " + document.lines().findFirst().orElse(""));
            }
        }
        return objects;
    }

    public static List<HasMetadata> renderAndParse(Path kustomizationDir) {
        return parse(render(kustomizationDir));
    }
}
