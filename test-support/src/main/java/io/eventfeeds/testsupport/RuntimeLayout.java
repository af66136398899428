package io.eventfeeds.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /** The realm JSON, copied out of auth-config's jar so that every caller gets a plain file. */
    static Path realmFile(Path into) {
        String configured = System.getProperty("eventfeeds.realm.file");
        try {
            Files.createDirectories(into);
            Path target = into.resolve("feeds-realm.json");
            if (configured != null && Files.isRegularFile(Path.of(configured))) {
                Files.copy(Path.of(configured), target, StandardCopyOption.REPLACE_EXISTING);
                return target;
            }
            try (InputStream in = RuntimeLayout.class.getResourceAsStream("/realm/feeds-realm.json")) {
                if (in == null) {
                    throw new IllegalStateException("realm/feeds-realm.json is not on the classpath (auth-config)");
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                return target;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findUpwards(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return null;
    }
}
