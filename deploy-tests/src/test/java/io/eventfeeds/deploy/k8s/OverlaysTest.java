package io.eventfeeds.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real overlays render, parse into typed objects, and pass every cross-check. */
class OverlaysTest {

    private final ManifestChecks checks = new ManifestChecks(Rendered.REPOSITORY);

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void overlayRendersIntoTypedObjectsOfEveryExpectedKind(Overlay overlay) {
        List<HasMetadata> objects = Rendered.overlay(overlay);

        assertThat(Objects.ofKind(objects, Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("feed-service", "gateway-service");
        assertThat(Objects.ofKind(objects, Service.class)).hasSize(2);
        assertThat(Objects.ofKind(objects, ConfigMap.class)).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("eventfeeds-config", "gateway-service-jvm");
        assertThat(Objects.ofKind(objects, HorizontalPodAutoscaler.class)).hasSize(1);
        assertThat(Objects.ofKind(objects, PodDisruptionBudget.class)).hasSize(1);
        assertThat(Objects.ofKind(objects, Ingress.class)).hasSize(1);
        assertThat(Objects.ofKind(objects, NetworkPolicy.class)).hasSizeGreaterThanOrEqualTo(5);
        for (String kind : List.of("Kafka", "KafkaNodePool", "KafkaTopic", "Keycloak", "KeycloakRealmImport")) {
            assertThat(Objects.custom(objects, kind)).as(kind).hasSize(1);
        }
        assertThat(objects).allMatch(o -> "eventfeeds".equals(o.getMetadata().getNamespace())
                || "Namespace".equals(o.getKind()));
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void overlayPassesEveryCheck(Overlay overlay) {
        assertThat(checks.all(Rendered.overlay(overlay), overlay)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void topicIsTheOneTheEventModelNames(Overlay overlay) {
        GenericKubernetesResource topic = Objects.custom(Rendered.overlay(overlay), "KafkaTopic").get(0);
        assertThat(topic.getMetadata().getName()).isEqualTo(io.eventfeeds.events.EventTopics.EVENTS);
    }
}
