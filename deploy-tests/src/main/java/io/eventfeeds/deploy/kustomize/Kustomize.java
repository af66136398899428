package io.eventfeeds.deploy.kustomize;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders an overlay with {@code kubectl kustomize}, the same renderer as {@code kubectl apply -k}, and parses the
 * result into typed fabric8 objects (custom resources such as Strimzi's and Keycloak's become
 * {@code GenericKubernetesResource}).
 */
public final class Kustomize {

    private Kustomize() {
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
        return new KubernetesSerialization().unmarshal(yaml);
    }
}
