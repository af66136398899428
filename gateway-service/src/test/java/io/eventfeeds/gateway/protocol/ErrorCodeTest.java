package io.eventfeeds.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.testsupport.RepositoryFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md's table of error codes lists exactly the codes of {@link ErrorCode}: clients switch on them, so a
 * code the docs still name after it was dropped, or one they never name, would mislead them.
 */
class ErrorCodeTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z_]+)`");

    @Test
    void docsListEveryErrorCodeAndNoOther() {
        String doc = RepositoryFiles.read("docs/protocol.md");
        String table = doc.substring(doc.indexOf("### error (server to client)"), doc.indexOf("## Close codes"));
        List<String> documented = new ArrayList<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            documented.add(row.group(1));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
    }
}
