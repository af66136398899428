package io.eventfeeds.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository being checked: where its files are, and the versions its root pom pins. */
public final class Repository {

    private final Path root;

    public Repository(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The checkout these tests run in: Surefire passes {@code eventfeeds.root}; otherwise the parent folder. */
    public static Repository current() {
        String property = System.getProperty("eventfeeds.root");
        Path start = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("k8s"))) {
                return new Repository(p);
            }
        }
        throw new IllegalStateException("cannot find the repository root (docker-compose.yml and k8s/) above " + start);
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    public Path realmFile() {
        return root.resolve(RealmPaths.REALM_FILE);
    }

    public String read(String relative) {
        try {
            return Files.readString(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code <properties>} value of the root pom, such as {@code kafka.version}. */
    public String pomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(read("pom.xml"));
        if (!m.find()) {
            throw new IllegalStateException("the root pom.xml has no property " + name);
        }
        return m.group(1).trim();
    }

    /** A default of the ./platform script ({@code NAME=${NAME:-default}}), so manifests can follow the local platform. */
    public String platformDefault(String variable) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(variable) + "=\\$\\{" + Pattern.quote(variable) + ":-([^}]*)}")
                .matcher(read("platform"));
        if (!m.find()) {
            throw new IllegalStateException("./platform sets no default for " + variable);
        }
        return m.group(1);
    }

    /** Paths shared by the checks and the realm import writer. */
    public static final class RealmPaths {
        public static final String REALM_FILE = "auth-config/src/main/resources/realm/feeds-realm.json";
        public static final String KEYCLOAK_IMPORT_DIR = "/opt/keycloak/data/import/";

        private RealmPaths() {
        }
    }
}
