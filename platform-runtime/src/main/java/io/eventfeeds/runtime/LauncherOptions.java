package io.eventfeeds.runtime;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code --name value} options of the launchers {@code ./platform} runs. A wrong command line is an
 * {@link IllegalArgumentException}, which the launchers report on one line with exit code 2.
 */
public record LauncherOptions(Map<String, String> values) {

    /**
     * Runs a launcher's {@code main}: any failure is one line on standard error, prefixed with the launcher's name,
     * and exit code 1, or 2 for a wrong command line ({@link IllegalArgumentException}).
     */
    public static void runMain(String launcher, String[] args, Consumer<String[]> run) {
        try {
            run.accept(args);
        } catch (IllegalArgumentException e) {
            System.err.println(launcher + ": " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println(launcher + ": " + e.getMessage());
            System.exit(1);
        }
    }

    public static LauncherOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        return new LauncherOptions(values);
    }

    public String text(String name) {
        return optional(name).orElseThrow(() -> new IllegalArgumentException("--" + name + " is needed"));
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public int integer(String name) {
        try {
            int value = Integer.parseInt(text(name));
            if (value < 1) {
                throw new IllegalArgumentException("--" + name + " must be a positive number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + text(name) + "'");
        }
    }

    /** The process ids of {@code --pids P,P}, none if absent: a wait gives up as soon as one of them ended. */
    public boolean processesAlive(String name) {
        return optional(name).stream().flatMap(list -> Arrays.stream(list.split(",")))
                .filter(pid -> !pid.isBlank()).map(Long::parseLong)
                .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
}
