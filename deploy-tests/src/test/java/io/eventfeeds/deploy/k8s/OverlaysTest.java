package io.eventfeeds.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real overlays render and pass every cross-check. */
class OverlaysTest {

    private final ManifestChecks checks = new ManifestChecks(Rendered.REPOSITORY);

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
