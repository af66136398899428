package io.eventfeeds.deploy.config;

import static java.util.stream.Collectors.joining;

import io.eventfeeds.deploy.Repository;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.common.expression.Expression;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.PropertyName;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.utils.StringUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service module's configuration as Quarkus would read it in production: SmallRye Config over its
 * {@code application.properties}, the {@code META-INF/microprofile-config.properties} of the project modules it
 * depends on and Quarkus' defaults. Which keys its code reads ({@code @ConfigProperty}, {@code @ConfigMapping}) is
 * found in its sources: these tests do not build the services, so their classes are not there to ask.
 */
public final class ServiceConfig {

    /** The variable of the image's launcher (ubi9/openjdk run-java.sh) that replaces its default JVM options. */
    public static final String JAVA_OPTS = "JAVA_OPTS";

    /** SmallRye Health's and Vert.x HTTP's defaults (Quarkus guides), used unless the module overrides them. */
    private static final Map<String, String> QUARKUS_DEFAULTS = Map.of("quarkus.http.port", "8080",
            "quarkus.management.enabled", "false", "quarkus.management.port", "9000", "quarkus.management.root-path", "/q",
            "quarkus.http.root-path", "/", "quarkus.http.non-application-root-path", "q",
            "quarkus.smallrye-health.root-path", "health", "quarkus.smallrye-health.liveness-path", "live",
            "quarkus.smallrye-health.readiness-path", "ready", "quarkus.smallrye-health.startup-path", "started");

    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MAPPING_METHOD = Pattern.compile("(?m)^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*[\\w<>,.? ]+\\s+(\\w+)\\(\\)\\s*;");

    private final String module;
    private final SmallRyeConfig config;
    private final Set<String> keys = new HashSet<>();
    /** Environment variables named inside values, as in quarkus.http.cors.origins=${FEEDS_CORS_ORIGINS:...}. */
    private final Set<String> referencedNames = new HashSet<>();
    /** Each {@code @ConfigMapping}'s prefix, and the names of its members (nested groups' included). */
    private final Map<String, Set<String>> mappings = new HashMap<>();
    /**
     * Its JVM options, when it defines them in {@code <module>/jvm.options}: ./platform reads that file, and
     * docker-compose.yml and Kubernetes repeat them in {@value #JAVA_OPTS}, which the container image's run-java.sh
     * then passes to java instead of its own defaults.
     */
    private final Optional<List<String>> jvmOptions;

    private ServiceConfig(String module, SmallRyeConfig config, Optional<List<String>> jvmOptions) {
        this.module = module;
        this.config = config;
        this.jvmOptions = jvmOptions;
    }

    /** The configuration of a module that builds a service (it has {@code src/main/docker/}). */
    public static ServiceConfig of(Repository repository, String module) {
        if (!isServiceModule(repository, module)) {
            throw new IllegalArgumentException(module + " is not a service module (no src/main/docker/)");
        }
        List<Path> modules = Stream.concat(Stream.of(module), repository.projectDependencies(module).stream()).map(repository::resolve)
                .toList();
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withProfile("prod")
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(QUARKUS_DEFAULTS, "Quarkus defaults", 0));
        for (Path dir : modules) {
            // Quarkus' ordinals: the service's application.properties over its libraries' defaults.
            source(dir.resolve("src/main/resources/application.properties"), dir == modules.get(0) ? 250 : 240, builder);
            source(dir.resolve("src/main/resources/META-INF/microprofile-config.properties"), 100, builder);
        }
        Path jvmOptions = repository.resolve(module).resolve("jvm.options");
        ServiceConfig service = new ServiceConfig(module, builder.build(), Files.isRegularFile(jvmOptions) ? Optional.of(splitOptions(
                repository.read(module + "/jvm.options").lines().filter(line -> !line.strip().startsWith("#")).collect(joining(" "))))
                : Optional.empty());
        service.config.getConfigSources().forEach(source -> source.getProperties().forEach((name, value) -> {
            service.keys.add(PropertyName.unprofiled(name).getName());
            service.referencedNames.addAll(Expression.compile(value).getReferencedStrings());
        }));
        modules.forEach(dir -> service.scanSources(dir.resolve("src/main/java")));
        if (service.jvmOptions.isPresent()) {
            // Not a Quarkus key: the container image's launcher reads it.
            service.referencedNames.add(JAVA_OPTS);
        }
        return service;
    }

    public static boolean isServiceModule(Repository repository, String module) {
        return module.matches("[a-z0-9-]+") && Files.isDirectory(repository.resolve(module).resolve("src/main/docker"));
    }

    public String module() {
        return module;
    }

    public Optional<List<String>> jvmOptions() {
        return jvmOptions;
    }

    /** Options as a launcher splits a variable's value: at whitespace. */
    public static List<String> splitOptions(String value) {
        return Arrays.stream(value.strip().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }

    /** The value in production, with Quarkus' default where the module sets none. */
    public <T> T property(String key, Class<T> type, T otherwise) {
        return config.getOptionalValue(key, type).orElse(otherwise);
    }

    /** The values of every key matching {@code pattern}, such as the topics of all messaging channels. */
    public Set<String> values(String pattern) {
        return new HashSet<>(keys.stream().filter(key -> key.matches(pattern)).map(key -> property(key, String.class, null)).toList());
    }

    public int httpPort() {
        return property("quarkus.http.port", Integer.class, null);
    }

    /** Whether health and metrics are served on Quarkus' separate management interface rather than the HTTP port. */
    public boolean managementInterface() {
        return property("quarkus.management.enabled", Boolean.class, null);
    }

    /** The port the health endpoints answer on: the management port when that interface is enabled. */
    public int healthPort() {
        return managementInterface() ? property("quarkus.management.port", Integer.class, null) : httpPort();
    }

    /** The health paths SmallRye Health serves for this module: the root and its live, ready and started checks. */
    public List<String> healthPaths() {
        String health = resolve(managementInterface() ? text("quarkus.management.root-path")
                : resolve(text("quarkus.http.root-path"), text("quarkus.http.non-application-root-path")),
                text("quarkus.smallrye-health.root-path"));
        return Stream.concat(Stream.of(health), Stream.of("liveness", "readiness", "startup")
                .map(check -> resolve(health, text("quarkus.smallrye-health." + check + "-path")))).toList();
    }

    /** The readiness path, for healthchecks that must say "ready" and not merely "alive". */
    public String readinessPath() {
        return healthPaths().get(2);
    }

    /** Whether an environment variable sets a key this service reads, by SmallRye Config's environment names. */
    public boolean reads(String environmentVariable) {
        EnvConfigSource environment = new EnvConfigSource(Map.of(environmentVariable, "set"), 0);
        // A mapping's leaf may sit below map keys and nested groups (feeds.channels.namespace.<name>.read):
        // accept the variable when it ends with one of the mapping's member names.
        return referencedNames.contains(environmentVariable) || keys.stream().anyMatch(k -> environment.getValue(k) != null)
                || mappings.entrySet().stream().anyMatch(mapping -> environmentVariable.startsWith(
                        toEnvironmentVariable(mapping.getKey()) + "_") && mapping.getValue().stream()
                        .anyMatch(leaf -> environmentVariable.endsWith("_" + toEnvironmentVariable(leaf))));
    }

    /**
     * What is wrong with the environment a deployment gives this service: variables it does not read (a misspelt one
     * is silently ignored), and JVM options other than its jvm.options.
     */
    public Stream<String> environmentProblems(String where, Map<String, String> env) {
        String options = env.get(JAVA_OPTS);
        return Stream.concat(env.keySet().stream().filter(variable -> !reads(variable)).map(variable -> where + " sets " + variable
                + ", which " + module + " does not read (no such key in its configuration)"), jvmOptions.stream()
                .filter(defined -> options == null || !splitOptions(options).equals(defined)).map(defined -> options == null ? where
                        + " does not set JAVA_OPTS: it would run with the image's default JVM options instead of " + module
                        + "/jvm.options" : where + " JAVA_OPTS is " + splitOptions(options) + ", but " + module
                        + "/jvm.options defines " + defined));
    }

    public static String toEnvironmentVariable(String propertyName) {
        return StringUtil.replaceNonAlphanumericByUnderscores(propertyName).toUpperCase(Locale.ROOT);
    }

    private String text(String key) {
        return property(key, String.class, null);
    }

    private static String resolve(String base, String path) {
        return path.startsWith("/") ? path : (base.endsWith("/") ? base : base + "/") + path;
    }

    private static void source(Path file, int ordinal, SmallRyeConfigBuilder builder) {
        try {
            if (Files.isRegularFile(file)) {
                builder.withSources(new PropertiesConfigSource(file.toUri().toURL(), ordinal));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void scanSources(Path sources) {
        try (Stream<Path> files = Files.isDirectory(sources) ? Files.walk(sources) : Stream.empty()) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String source = Files.readString(file);
                CONFIG_PROPERTY.matcher(source).results().forEach(m -> keys.add(m.group(1)));
                Matcher prefix = MAPPING_PREFIX.matcher(source);
                if (prefix.find()) {
                    Set<String> members = mappings.computeIfAbsent(prefix.group(1), p -> new HashSet<>());
                    MAPPING_METHOD.matcher(source).results().forEach(m -> members.add(StringUtil.skewer(m.group(1))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
