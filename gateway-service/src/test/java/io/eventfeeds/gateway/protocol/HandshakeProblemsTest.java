package io.eventfeeds.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventfeeds.security.problem.ProblemType;
import io.eventfeeds.security.problem.SecurityProblemType;
import io.eventfeeds.testsupport.RepositoryFiles;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each problem type a handshake can be refused with is defined once, and docs/events.md lists it with its status. */
class HandshakeProblemsTest {

    private static final String PROBLEM_TABLE = RepositoryFiles.read("docs/events.md")
            .split("## Status codes and problems", 2)[1];

    static List<ProblemType> handshakeProblems() {
        return HandshakeProblems.ALL;
    }

    @ParameterizedTest
    @MethodSource("handshakeProblems")
    void isListedOnceInTheDocsAndNamedByNoOtherType(ProblemType type) {
        assertThat(PROBLEM_TABLE).contains("| " + type.status() + " | `" + type.slug() + "` |");
        assertThat(Stream.concat(HandshakeProblems.ALL.stream(), Stream.of(SecurityProblemType.values()))
                .filter(other -> other.slug().equals(type.slug()))).hasSize(1);
    }
}
