package io.eventfeeds.feed.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.security.problem.ProblemType;
import io.eventfeeds.security.problem.SecurityProblemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each problem type feed-service can answer is defined once, and docs/events.md lists every one of them. */
class FeedProblemTypeTest {

    private static final List<ProblemType> ANSWERED = Stream.concat(Stream.of(FeedProblemType.values()),
            Stream.of(SecurityProblemType.values())).map(ProblemType.class::cast).toList();

    @Test
    void noSlugIsDefinedTwice() {
        assertThat(ANSWERED.stream().map(ProblemType::slug)).doesNotHaveDuplicates();
    }

    @Test
    void docsListEveryProblemTypeWithItsStatus() throws IOException {
        String doc = Files.readString(repositoryFile("docs/events.md"));
        String table = doc.substring(doc.indexOf("## Status codes and problems"));

        assertThat(ANSWERED).allSatisfy(type -> assertThat(table)
                .contains("| " + type.status() + " | `" + type.slug() + "` |"));
    }

    private static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
