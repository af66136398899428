package io.eventfeeds.runtime.keycloak;

import io.eventfeeds.runtime.LauncherOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The command {@code ./platform} runs to set up its Keycloak; the script itself only starts the process and keeps
 * its pid, as for Kafka.
 *
 * <pre>
 * prepare     --dist DIR --home DIR --host H --port P --management-port P --realm FILE --gateway-port P --conf DIR
 *             installs the distribution into the home, puts the realm in its import folder, writes the server's
 *             environment (NAME=VALUE entries) and its command line (arguments), each separated by NUL, and prints
 *             "ENV-FILE COMMAND-FILE". The environment holds the admin password (taken from the environment
 *             variable KEYCLOAK_ADMIN_PASSWORD), so it is readable by its owner only, and is meant to be exported,
 *             not put on a command line where every user's ps would show it.
 * await-ready --host H --port P --management-port P --timeout S [--pids P]
 *             waits until the server serves the realm
 * </pre>
 *
 * Any failure prints one line on standard error and exits with 1 (2 for a wrong command line).
 */
public final class KeycloakLauncher {

    private KeycloakLauncher() {
    }

    public static void main(String[] args) {
        LauncherOptions.runMain("keycloak launcher", args, KeycloakLauncher::run);
    }

    static void run(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command is needed: prepare or await-ready");
        }
        LauncherOptions options = LauncherOptions.parse(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "prepare" -> System.out.println(prepare(options, System.getenv("KEYCLOAK_ADMIN_PASSWORD")));
            case "await-ready" -> new KeycloakReadiness(options.text("host"), options.integer("port"),
                    options.integer("management-port")).await(Duration.ofSeconds(options.integer("timeout")),
                            () -> options.processesAlive("pids"));
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "' (prepare, await-ready)");
        }
    }

    static String prepare(LauncherOptions options, String adminPassword) {
        if (adminPassword == null || adminPassword.isEmpty()) {
            throw new IllegalArgumentException("KEYCLOAK_ADMIN_PASSWORD is not set");
        }
        Path home = Path.of(options.text("home"));
        KeycloakLaunch launch = new KeycloakLaunch(home, options.text("host"), options.integer("port"),
                options.integer("management-port"), KeycloakLaunch.Storage.FILE);
        KeycloakHome.install(Path.of(options.text("dist")), home);
        KeycloakHome.importRealm(Path.of(options.text("realm")), home, launch.host(), options.integer("gateway-port"));
        Path conf = Path.of(options.text("conf"));
        Path environmentFile = conf.resolve("keycloak.env");
        Path commandFile = conf.resolve("keycloak.command");
        List<String> environment = new ArrayList<>();
        new TreeMap<>(launch.environment(Path.of(System.getProperty("java.home")), adminPassword))
                .forEach((name, value) -> environment.add(name + "=" + value));
        writeOwnerOnly(environmentFile, environment);
        writeOwnerOnly(commandFile, launch.command());
        return environmentFile + " " + commandFile;
    }

    private static void writeOwnerOnly(Path file, List<String> entries) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, String.join("\0", entries) + "\0");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
