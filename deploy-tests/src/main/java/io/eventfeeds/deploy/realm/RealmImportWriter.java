package io.eventfeeds.deploy.realm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.k8s.Manifest;
import io.eventfeeds.deploy.k8s.Overlay;
import io.eventfeeds.deploy.kustomize.Kustomize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes each overlay's {@code realm-import.yaml} from auth-config's realm. The build runs it only when asked
 * ({@link #COMMAND}); {@code RealmImportTest} fails whenever a committed file differs from what this would write.
 */
public final class RealmImportWriter {

    public static final String COMMAND = "./mvnw -q -pl deploy-tests -am process-classes -Drealm-imports";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private RealmImportWriter() {
    }

    public static void main(String[] args) {
        Repository repository = args.length > 0 ? new Repository(Path.of(args[0])) : Repository.current();
        for (Overlay overlay : Overlay.values()) {
            Path file = repository.resolve(overlay.realmImportFile());
            String expected = expected(repository, overlay);
            write(file, expected);
            System.out.println("wrote " + repository.root().relativize(file));
        }
    }

    /** The file's content as it must be committed: generated from the realm and the overlay's gateway host. */
    public static String expected(Repository repository, Overlay overlay) {
        Path file = repository.resolve(overlay.realmImportFile());
        if (!Files.exists(file)) {
            // The overlay lists the file as a resource: give kustomize a placeholder to render the Ingress with.
            write(file, "apiVersion: k8s.keycloak.org/v2alpha1\nkind: KeycloakRealmImport\nmetadata:\n  name: placeholder\n");
        }
        String origin = new Manifest(Kustomize.renderAndParse(repository.resolve(overlay.path()))).gatewayOrigin()
                .orElseThrow(() -> new IllegalStateException(overlay.path() + " has no Ingress rule for the gateway"));
        JsonNode realm = RealmImports.readRealm(repository.read(Repository.REALM_FILE));
        return render(RealmImports.realmImport(realm, overlay.realmVariant(), origin), overlay);
    }

    static String render(JsonNode resource, Overlay overlay) {
        String header = "# GENERATED from " + Repository.REALM_FILE + " for the " + overlay.name().toLowerCase()
                + " overlay (" + overlay.realmVariant() + " realm): do not edit.\n# Regenerate: " + COMMAND + "\n";
        try {
            return header + YAML.writeValueAsString(resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
