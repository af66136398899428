package io.eventfeeds.runtime.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Keycloak server's folder: a copy of the distribution, made again when the distribution changed (another
 * Keycloak version), and the realm file in its import folder.
 */
public final class KeycloakHome {

    /**
     * The gateway's port that the realm file's browser client names in its redirect URIs and web origins; a
     * gateway elsewhere gets a realm rewritten for its port.
     */
    static final int REALM_GATEWAY_PORT = 8080;
    private static final String FROM = ".from";

    private KeycloakHome() {
    }

    /** Copies {@code dist} into {@code home} unless home is already a copy of it; the home's data goes with it. */
    public static void install(Path dist, Path home) {
        try {
            Path from = home.resolve(FROM);
            if (Files.isRegularFile(from) && Files.readString(from).strip().equals(dist.toString())) {
                return;
            }
            deleteTree(home);
            try (Stream<Path> files = Files.walk(dist)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = home.resolve(dist.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Files.writeString(from, dist.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not install " + dist + " into " + home + ": " + e.getMessage(), e);
        }
    }

    /** Puts the realm into {@code home}'s import folder as it is, for a server whose gateway's origin is not known. */
    public static Path importRealm(Path realm, Path home) {
        return importRealm(realm, home, "127.0.0.1", REALM_GATEWAY_PORT);
    }

    /**
     * Puts the realm into {@code home}'s import folder, its browser client pointed at the gateway on
     * {@code gatewayHost:gatewayPort}. Keycloak imports it only into an empty database: after a port change,
     * the platform's stored realm keeps the old one.
     */
    public static Path importRealm(Path realm, Path home, String gatewayHost, int gatewayPort) {
        try {
            Path importDir = Files.createDirectories(home.resolve("data").resolve("import"));
            String json = Files.readString(realm, StandardCharsets.UTF_8)
                    .replace("127.0.0.1:" + REALM_GATEWAY_PORT, gatewayHost + ":" + gatewayPort)
                    .replace("localhost:" + REALM_GATEWAY_PORT, "localhost:" + gatewayPort);
            return Files.writeString(importDir.resolve(KeycloakLaunch.REALM + "-realm.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException("could not import the realm " + realm + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> files = Files.walk(dir)) {
            all = files.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : all) {
            Files.delete(path);
        }
    }
}
