package io.eventfeeds.admin.apikey;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command without a Keycloak: what it says before and instead of talking to one. */
class ApiKeyCommandTest {

    private final ApiKeyCommand command = new ApiKeyCommand(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    @Test
    void aKeycloakThatDoesNotAnswerIsNamedWithItsPortAndWhatToDo() throws IOException {
        String url = "http://127.0.0.1:" + unusedPort();

        assertThatThrownBy(() -> command.run(List.of(url, "list"), Map.of("KEYCLOAK_ADMIN_PASSWORD", "admin")))
                .isInstanceOf(ApiKeyCommandException.class)
                .hasMessage("Keycloak is not answering on port " + url.substring(url.lastIndexOf(':') + 1)
                        + " with the realm feeds: run ./platform up first");
    }

    /** A wrong command line is told as such even when Keycloak is down: it is checked first. */
    @Test
    void theArgumentsAreCheckedBeforeKeycloakIsContacted() throws IOException {
        String url = "http://127.0.0.1:" + unusedPort();

        assertThatThrownBy(() -> command.run(List.of(url, "create", "k", "--role", "root"),
                Map.of("KEYCLOAK_ADMIN_PASSWORD", "admin")))
                .hasMessage("unknown role 'root' (subscriber, chat, publisher, admin)");
    }

    @Test
    void withoutThePasswordInItsEnvironmentItDoesNotTry() {
        assertThatThrownBy(() -> command.run(List.of("http://127.0.0.1:1", "list"), Map.of()))
                .hasMessage("KEYCLOAK_ADMIN_PASSWORD is not set");
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
