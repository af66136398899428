package io.eventfeeds.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.security.problem.ProblemType;
import io.eventfeeds.security.problem.SecurityProblemType;
import io.eventfeeds.testsupport.RepositoryFiles;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each problem type the gateway can answer a handshake with is defined once, and docs/events.md lists it. */
class HandshakeProblemTypeTest {

    private static final List<ProblemType> ANSWERED = Stream.concat(Stream.of(HandshakeProblemType.values()),
            Stream.of(SecurityProblemType.values())).map(ProblemType.class::cast).toList();

    @Test
    void noSlugIsDefinedTwice() {
        assertThat(ANSWERED.stream().map(ProblemType::slug)).doesNotHaveDuplicates();
    }

    @Test
    void docsListEveryProblemTypeWithItsStatus() {
        String doc = RepositoryFiles.read("docs/events.md");
        String table = doc.substring(doc.indexOf("## Status codes and problems"));

        assertThat(HandshakeProblemType.values()).allSatisfy(type -> assertThat(table)
                .contains("| " + type.status() + " | `" + type.slug() + "` |"));
    }
}
