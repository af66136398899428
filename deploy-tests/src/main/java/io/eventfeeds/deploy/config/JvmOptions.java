package io.eventfeeds.deploy.config;

import io.eventfeeds.deploy.Repository;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A service's JVM options, defined once in {@code <module>/jvm.options}: ./platform reads that file, and
 * docker-compose.yml and Kubernetes repeat the options in {@value #VARIABLE}, which the container image's run-java.sh
 * then passes to java instead of its own defaults.
 */
public final class JvmOptions {

    /** The variable of the image's launcher (ubi9/openjdk run-java.sh) that replaces its default JVM options. */
    public static final String VARIABLE = "JAVA_OPTS";
    public static final String FILE = "jvm.options";

    private JvmOptions() {
    }

    /** The module's options in their order, when it defines any. */
    public static Optional<List<String>> of(Repository repository, String module) {
        if (!Files.isRegularFile(repository.resolve(module).resolve(FILE))) {
            return Optional.empty();
        }
        return Optional.of(split(repository.read(module + "/" + FILE).lines().filter(line -> !line.strip().startsWith("#"))
                .collect(Collectors.joining(" "))));
    }

    /** Options as a launcher splits a variable's value: at whitespace. */
    public static List<String> split(String value) {
        return Arrays.stream(value.strip().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }

    /** The problem with a deployment's {@value #VARIABLE} for a module that defines these options ({@code where} names it). */
    static Stream<String> mismatch(String module, List<String> defined, String where, String value) {
        return value != null && split(value).equals(defined) ? Stream.empty() : Stream.of(value == null ? where + " does not set "
                + VARIABLE + ": it would run with the image's default JVM options instead of " + module + "/" + FILE
                : where + " " + VARIABLE + " is " + split(value) + ", but " + module + "/" + FILE + " defines " + defined);
    }
}
