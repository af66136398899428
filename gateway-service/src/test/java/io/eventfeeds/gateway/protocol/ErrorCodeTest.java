package io.eventfeeds.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md's table of error codes lists exactly the codes of {@link ErrorCode}: clients switch on them, so a
 * code the docs still name after it was dropped, or one they never name, would mislead them.
 */
class ErrorCodeTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z_]+)`");

    @Test
    void docsListEveryErrorCodeAndNoOther() throws IOException {
        String doc = Files.readString(repositoryFile("docs/protocol.md"));
        String table = doc.substring(doc.indexOf("### error (server to client)"), doc.indexOf("## Close codes"));
        List<String> documented = new ArrayList<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            documented.add(row.group(1));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
    }

    private static Path repositoryFile(String relative) {
        return Stream.iterate(Path.of("").toAbsolutePath(), dir -> dir != null, Path::getParent)
                .map(dir -> dir.resolve(relative)).filter(Files::exists).findFirst()
                .orElseThrow(() -> new IllegalStateException(relative + " not found"));
    }
}
