package io.eventfeeds.deploy.realm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.k8s.Manifest;
import io.eventfeeds.deploy.k8s.Overlay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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

    public static void main(String[] args) throws IOException {
        Repository repository = args.length > 0 ? new Repository(Path.of(args[0])) : Repository.current();
        for (Overlay overlay : Overlay.values()) {
            String expected = expected(repository, overlay);
            Files.writeString(repository.resolve(overlay.realmImportFile()), expected);
            System.out.println("wrote " + overlay.realmImportFile());
        }
    }

    /** The file's content as it must be committed: generated from the realm and the overlay's gateway host. */
    public static String expected(Repository repository, Overlay overlay) throws IOException {
        Path file = repository.resolve(overlay.realmImportFile());
        if (!Files.exists(file)) {
            // The overlay lists the file as a resource: give kustomize a placeholder to render the Ingress with.
            Files.writeString(file, "apiVersion: k8s.keycloak.org/v2alpha1\nkind: KeycloakRealmImport\nmetadata:\n  name: placeholder\n");
        }
        String origin = new Manifest(Manifest.parse(Manifest.render(repository.resolve(overlay.path())))).gatewayOrigin()
                .orElseThrow(() -> new IllegalStateException(overlay.path() + " has no Ingress rule for the gateway"));
        return "# GENERATED from " + Repository.REALM_FILE + " for the " + overlay.name().toLowerCase(Locale.ROOT)
                + " overlay (" + overlay.realm() + " realm): do not edit.\n# Regenerate: " + COMMAND + "\n"
                + YAML.writeValueAsString(RealmImports.realmImport(RealmImports.realm(repository), overlay, origin));
    }
}
