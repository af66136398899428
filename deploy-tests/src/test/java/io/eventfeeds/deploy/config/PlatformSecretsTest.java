package io.eventfeeds.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.deploy.Repository;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ./platform hands Keycloak's admin password to the programs it starts through their environment: a command line
 * is readable by every user of the machine (`ps`), an environment only by the same user.
 */
class PlatformSecretsTest {

    private static final Pattern PASSWORD_ARGUMENT = Pattern.compile("--password\\b|--secret\\b");
    private static final Pattern ADMIN_PASSWORD_USE = Pattern.compile("\\$\\{?KEYCLOAK_ADMIN_PASSWORD\\b");

    @Test
    void noProgramGetsTheAdminPasswordOnItsCommandLine() {
        List<String> offending = Repository.current().read("platform").lines()
                .filter(line -> !line.stripLeading().startsWith("#"))
                .filter(line -> PASSWORD_ARGUMENT.matcher(line).find() || passesAdminPasswordAsArgument(line))
                .toList();

        assertThat(offending).isEmpty();
    }

    /** A use of the password that is not an environment assignment (NAME=$KEYCLOAK_ADMIN_PASSWORD) or a message. */
    private static boolean passesAdminPasswordAsArgument(String line) {
        var use = ADMIN_PASSWORD_USE.matcher(line);
        while (use.find()) {
            String before = line.substring(0, use.start());
            boolean assignment = before.endsWith("=") && !before.endsWith(" =");
            boolean shown = before.contains("(admin / "); // the demo credentials printed by ./platform up
            if (!assignment && !shown) {
                return true;
            }
        }
        return false;
    }
}
