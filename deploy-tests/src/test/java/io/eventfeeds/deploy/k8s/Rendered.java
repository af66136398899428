package io.eventfeeds.deploy.k8s;

import io.eventfeeds.deploy.Repository;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The overlays rendered once per test JVM; every call parses a fresh copy, so a test may break its copy freely. */
final class Rendered {

    static final Repository REPOSITORY = Repository.current();
    private static final Map<Overlay, String> YAML = new EnumMap<>(Overlay.class);

    private Rendered() {
    }

    static synchronized List<HasMetadata> overlay(Overlay overlay) {
        String yaml = YAML.computeIfAbsent(overlay, o -> Manifest.render(REPOSITORY.resolve(o.path())));
        return new java.util.ArrayList<>(Manifest.parse(yaml));
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return Objects.named(Objects.ofKind(objects, type), name)
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }
}
