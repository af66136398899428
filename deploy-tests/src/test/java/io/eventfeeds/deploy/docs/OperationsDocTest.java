package io.eventfeeds.deploy.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.config.ServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/operations.md's table of configuration keys names only variables the services really read. */
class OperationsDocTest {

    private static final Repository REPOSITORY = Repository.current();
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Z0-9_<>]+)` \\| (both|feed-service|gateway-service) \\|");

    @Test
    void everyDocumentedVariableIsReadByTheServicesItNames() {
        String doc = REPOSITORY.read("docs/operations.md");
        String table = doc.substring(doc.indexOf("## Configuration keys"), doc.indexOf("## TLS"));
        Matcher row = ROW.matcher(table);
        List<String> unread = new ArrayList<>();
        int rows = 0;
        while (row.find()) {
            rows++;
            String variable = row.group(1).replace("<NS>", "SCORES");
            List<String> modules = row.group(2).equals("both") ? List.of("feed-service", "gateway-service")
                    : List.of(row.group(2));
            for (String module : modules) {
                if (!ServiceConfig.of(REPOSITORY, module).reads(variable)) {
                    unread.add(module + " does not read " + variable);
                }
            }
        }
        assertThat(rows).as("rows in the configuration table").isGreaterThanOrEqualTo(10);
        assertThat(unread).isEmpty();
    }
}
