package io.eventfeeds.runtime.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventfeeds.runtime.LauncherOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ./platform} gets from the launcher before it starts Keycloak. */
class KeycloakLauncherTest {

    private static final String REALM_JSON = """
            {"realm":"feeds","clients":[{"clientId":"feeds-web","redirectUris":["http://127.0.0.1:8080/*",
            "http://localhost:8080/*"],"webOrigins":["http://127.0.0.1:8080","http://localhost:8080"]}]}""";

    @TempDir
    Path work;
    Path dist;
    Path home;
    Path realm;

    @BeforeEach
    void distribution() throws IOException {
        dist = Files.createDirectories(work.resolve("keycloak-26.0.0"));
        Files.createDirectories(dist.resolve("bin"));
        Files.writeString(dist.resolve("bin").resolve("kc.sh"), "#!/bin/sh\n");
        home = work.resolve("home");
        realm = Files.writeString(work.resolve("feeds-realm.json"), REALM_JSON);
    }

    private LauncherOptions options(String gatewayPort) {
        return LauncherOptions.parse(new String[] {"--dist", dist.toString(), "--home", home.toString(),
            "--host", "127.0.0.1", "--port", "8180", "--management-port", "9180", "--gateway-port", gatewayPort,
            "--realm", realm.toString(), "--conf", work.resolve("conf").toString()});
    }

    @Test
    void theAdminPasswordIsInTheOwnerOnlyEnvironmentFileAndNotOnTheCommandLine() throws IOException {
        String[] files = KeycloakLauncher.prepare(options("8080"), "s3cret-demo").split(" ");
        Path environment = Path.of(files[0]);
        Path command = Path.of(files[1]);

        assertThat(entries(environment)).contains("KC_BOOTSTRAP_ADMIN_PASSWORD=s3cret-demo",
                "KC_BOOTSTRAP_ADMIN_USERNAME=" + KeycloakLaunch.ADMIN_USER);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(environment))).isEqualTo("rw-------");
        assertThat(entries(command)).startsWith("bash", home.resolve("bin/kc.sh").toString(), "start-dev")
                .contains("--http-port=8180", "--http-management-port=9180", "--hostname=http://127.0.0.1:8180",
                        "--import-realm")
                .doesNotContain("--db=dev-mem")
                .noneMatch(argument -> argument.contains("s3cret-demo"));
    }

    @Test
    void theRealmsBrowserClientFollowsTheGatewaysPort() throws IOException {
        KeycloakLauncher.prepare(options("18080"), "admin");

        String imported = Files.readString(home.resolve("data/import/feeds-realm.json"));
        assertThat(imported).contains("http://127.0.0.1:18080/*", "http://localhost:18080", "\"realm\":\"feeds\"")
                .doesNotContain(":8080");
    }

    @Test
    void theHomeIsACopyOfTheDistributionKeptAcrossStartsAndRenewedForAnother() throws IOException {
        KeycloakLauncher.prepare(options("8080"), "admin");
        Path stored = Files.writeString(Files.createDirectories(home.resolve("data/h2")).resolve("keycloakdb.mv.db"), "db");

        KeycloakLauncher.prepare(options("8080"), "admin");
        assertThat(stored).as("the same distribution keeps the home's data").exists();

        Files.move(dist, work.resolve("keycloak-27.0.0"));
        dist = work.resolve("keycloak-27.0.0");
        KeycloakLauncher.prepare(options("8080"), "admin");
        assertThat(stored).as("another distribution makes a new home").doesNotExist();
        assertThat(home.resolve("bin/kc.sh")).exists();
    }

    @Test
    void noPasswordIsAOneLineRefusal() {
        assertThatThrownBy(() -> KeycloakLauncher.prepare(options("8080"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("KEYCLOAK_ADMIN_PASSWORD is not set");
    }

    @Test
    void aTestServerKeepsItsDatabaseInMemory() {
        KeycloakLaunch launch = new KeycloakLaunch(home, "127.0.0.1", 1, 2, KeycloakLaunch.Storage.MEMORY);

        assertThat(launch.command()).contains("--db=dev-mem");
    }

    private static List<String> entries(Path file) throws IOException {
        return List.of(Files.readString(file).split("\0"));
    }
}
