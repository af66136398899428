package io.eventfeeds.deploy.config;

import io.eventfeeds.deploy.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        Path file = repository.resolve(module).resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<String> options = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.strip().startsWith("#")) {
                    options.addAll(split(line));
                }
            }
            return Optional.of(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options as a launcher splits a variable's value: at whitespace. */
    public static List<String> split(String value) {
        List<String> options = new ArrayList<>();
        for (String option : value.strip().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }

    /** The problem with a deployment's {@value #VARIABLE} for this module, if any ({@code where} names it). */
    public static Optional<String> mismatch(Repository repository, String module, String where, String value) {
        Optional<List<String>> defined = of(repository, module);
        if (defined.isEmpty()) {
            return Optional.empty();
        }
        if (value == null) {
            return Optional.of(where + " does not set " + VARIABLE + ": it would run with the image's default JVM"
                    + " options instead of " + module + "/" + FILE);
        }
        if (!split(value).equals(defined.get())) {
            return Optional.of(where + " " + VARIABLE + " is " + split(value) + ", but " + module + "/" + FILE
                    + " defines " + defined.get());
        }
        return Optional.empty();
    }
}
