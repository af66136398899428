package io.eventfeeds.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Files of the repository (docs, configuration) that tests hold the code to, found from any module's directory. */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    public static String read(String relative) {
        Path file = Stream.iterate(Path.of("").toAbsolutePath(), dir -> dir != null, Path::getParent)
                .map(dir -> dir.resolve(relative)).filter(Files::exists).findFirst()
                .orElseThrow(() -> new IllegalStateException(relative + " not found above " + Path.of("")
                        .toAbsolutePath()));
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
