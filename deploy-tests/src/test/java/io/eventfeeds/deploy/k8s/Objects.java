package io.eventfeeds.deploy.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/** Finding objects in a rendered overlay, typed ones by class and custom resources by kind. */
public final class Objects {

    private Objects() {
    }

    public static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public static List<GenericKubernetesResource> custom(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    public static <T extends HasMetadata> Optional<T> named(List<T> objects, String name) {
        return objects.stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }
}
