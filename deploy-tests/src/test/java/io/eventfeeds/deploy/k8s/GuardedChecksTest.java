package io.eventfeeds.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.compose.ComposeChecks;
import io.eventfeeds.deploy.compose.ComposeFile;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that apply only once a service has the setting they guard (the gateway's Origin allowlist, feed-service's
 * demo switch), run against a copy of the repository whose service does have it.
 */
class GuardedChecksTest {

    private static final Repository REAL = Repository.current();

    private static Repository withServiceKey(Path root, String module, String property) throws IOException {
        for (String file : List.of("pom.xml", "platform", "k8s/README.md", Repository.REALM_FILE,
                module + "/pom.xml", module + "/src/main/resources/application.properties")) {
            Path target = root.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(REAL.resolve(file), target);
        }
        Files.createDirectories(root.resolve(module + "/src/main/docker"));
        Files.writeString(root.resolve(module + "/src/main/resources/application.properties"),
                "\n" + property + "\n", java.nio.file.StandardOpenOption.APPEND);
        return new Repository(root);
    }

    @Test
    void gatewayWhoseOriginAllowlistMissesTheIngressHostIsReported(@TempDir Path root) throws IOException {
        Repository repository = withServiceKey(root, "gateway-service",
                "feeds.gateway.security.allowed-origins=http://localhost:8080");
        ManifestChecks checks = new ManifestChecks(repository);
        List<HasMetadata> prod = Rendered.overlay(Overlay.PROD);
        var gateway = Rendered.one(prod, Deployment.class, "gateway-service").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        if (gateway.getEnv() != null) {
            gateway.getEnv().removeIf(env -> env.getName().equals(ManifestChecks.ALLOWED_ORIGINS));
        }

        assertThat(checks.gatewayAllowsItsPublicOrigin(new Manifest(prod))).singleElement().asString()
                .contains("FEEDS_GATEWAY_SECURITY_ALLOWED_ORIGINS is null: it must allow https://feeds.example.com");

        Rendered.one(prod, Deployment.class, "gateway-service").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().add(new EnvVarBuilder().withName(ManifestChecks.ALLOWED_ORIGINS)
                        .withValue("https://other.example.com, https://feeds.example.com").build());
        assertThat(checks.gatewayAllowsItsPublicOrigin(new Manifest(prod))).isEmpty();
    }

    @Test
    void demoSwitchThatComposeLeavesOffIsReported(@TempDir Path root) throws IOException {
        Repository repository = withServiceKey(root, "feed-service", "feeds.demo.enabled=false");
        ObjectNode compose = ComposeFile.parse(REAL.read("docker-compose.yml"));
        ((ObjectNode) compose.path("services").path("feed-service").path("environment")).remove("FEEDS_DEMO_ENABLED");

        assertThat(new ComposeChecks(repository).demoDataIsOn(compose)).containsExactly(
                "service feed-service has demo data behind FEEDS_DEMO_ENABLED, which compose does not turn on by default");

        ((ObjectNode) compose.path("services").path("feed-service").path("environment")).put("FEEDS_DEMO_ENABLED", "true");
        assertThat(new ComposeChecks(repository).demoDataIsOn(compose)).isEmpty();
    }
}
