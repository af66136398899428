package io.eventfeeds.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the servers that platform-runtime unpacked live. The build passes {@code eventfeeds.runtime.dir}; an IDE
 * run without it finds the folder by walking up from the working directory.
 */
final class RuntimeLayout {

    private RuntimeLayout() {
    }

    static Path runtimeDir() {
        String configured = System.getProperty("eventfeeds.runtime.dir", System.getenv("EVENTFEEDS_RUNTIME_DIR"));
        Path dir = configured != null ? Path.of(configured) : findUpwards(Path.of("platform-runtime", "target"));
        if (dir == null || !Files.isDirectory(dir.resolve("kafka").resolve("libs"))) {
            throw new IllegalStateException("platform-runtime has not been built (no " + dir
                    + "/kafka/libs): run ./mvnw verify from the repository root, or ./mvnw -pl platform-runtime package");
        }
        return dir.toAbsolutePath();
    }

    static Path kafkaLibs() {
        return runtimeDir().resolve("kafka").resolve("libs");
    }

    static Path keycloakHome() {
        Path parent = runtimeDir().resolve("keycloak");
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("keycloak-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Keycloak distribution in " + parent));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The realm JSON. The build passes its path; an IDE run finds it by walking up. (A file path, not a classpath
     * resource, so that auth-config's own tests can use this module without a dependency cycle.)
     */
    static Path realmFile() {
        String configured = System.getProperty("eventfeeds.realm.file");
        Path source = configured != null ? Path.of(configured)
                : findUpwards(Path.of("auth-config", "src", "main", "resources", "realm", "feeds-realm.json"));
        if (source == null || !Files.isRegularFile(source)) {
            throw new IllegalStateException("realm JSON not found (" + source + "): run the tests through ./mvnw");
        }
        return source;
    }

    private static Path findUpwards(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return null;
    }
}
