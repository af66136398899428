package io.eventfeeds.deploy.config;

import io.eventfeeds.deploy.Repository;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service module really reads, learnt from its sources rather than from a list kept by hand: the keys of its
 * {@code application.properties}, of the {@code META-INF/microprofile-config.properties} of the project modules it
 * depends on, its (and their) {@code @ConfigProperty} names and {@code @ConfigMapping} interfaces; and from those,
 * the HTTP port and the SmallRye Health paths it serves.
 */
public final class ServiceConfig {

    /** SmallRye Health's and Vert.x HTTP's defaults (Quarkus guides), used unless the module overrides them. */
    private static final Map<String, String> QUARKUS_DEFAULTS = Map.of(
            "quarkus.http.port", "8080",
            "quarkus.management.enabled", "false",
            "quarkus.management.port", "9000",
            "quarkus.management.root-path", "/q",
            "quarkus.http.root-path", "/",
            "quarkus.http.non-application-root-path", "q",
            "quarkus.smallrye-health.root-path", "health",
            "quarkus.smallrye-health.liveness-path", "live",
            "quarkus.smallrye-health.readiness-path", "ready",
            "quarkus.smallrye-health.startup-path", "started");

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::[^}]*)?}");
    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MAPPING_METHOD = Pattern.compile("(?m)^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*[\\w<>,.? ]+\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern PROJECT_DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.eventfeeds</groupId>\\s*<artifactId>([^<]+)</artifactId>(.*?)</dependency>",
            Pattern.DOTALL);

    private final String module;
    private final boolean jvmOptions;
    private final Map<String, String> properties;
    private final Set<String> mappingPrefixes;
    private final Map<String, Set<String>> mappingLeaves;

    private ServiceConfig(String module, boolean jvmOptions, Map<String, String> properties,
            Set<String> mappingPrefixes, Map<String, Set<String>> mappingLeaves) {
        this.module = module;
        this.jvmOptions = jvmOptions;
        this.properties = properties;
        this.mappingPrefixes = mappingPrefixes;
        this.mappingLeaves = mappingLeaves;
    }

    /** The configuration of a module that builds a service (it has {@code src/main/docker/}). */
    public static ServiceConfig of(Repository repository, String module) {
        Path moduleDir = repository.resolve(module);
        if (!Files.isDirectory(moduleDir.resolve("src/main/docker"))) {
            throw new IllegalArgumentException(module + " is not a service module (no src/main/docker/)");
        }
        List<Path> modules = new ArrayList<>();
        modules.add(moduleDir);
        for (String dependency : projectDependencies(repository.read(module + "/pom.xml"))) {
            modules.add(repository.resolve(dependency));
        }
        Map<String, String> properties = new LinkedHashMap<>();
        Set<String> prefixes = new LinkedHashSet<>();
        Map<String, Set<String>> leaves = new LinkedHashMap<>();
        for (Path dir : modules) {
            // The service's own file wins over its libraries' defaults, as in MicroProfile Config's ordinals.
            loadInto(dir.resolve("src/main/resources/META-INF/microprofile-config.properties"), properties, false);
            loadInto(dir.resolve("src/main/resources/application.properties"), properties, dir.equals(moduleDir));
            scanSources(dir.resolve("src/main/java"), properties, prefixes, leaves);
        }
        boolean jvmOptions = JvmOptions.of(repository, module).isPresent();
        return new ServiceConfig(module, jvmOptions, properties, prefixes, leaves);
    }

    public static boolean isServiceModule(Repository repository, String module) {
        return module.matches("[a-z0-9-]+") && Files.isDirectory(repository.resolve(module).resolve("src/main/docker"));
    }

    public String module() {
        return module;
    }

    public Map<String, String> properties() {
        return properties;
    }

    public String property(String key) {
        String value = properties.get(key);
        return value != null ? value : QUARKUS_DEFAULTS.get(key);
    }

    public int httpPort() {
        return Integer.parseInt(property("quarkus.http.port"));
    }

    /** Whether health and metrics are served on Quarkus' separate management interface rather than the HTTP port. */
    public boolean managementInterface() {
        return Boolean.parseBoolean(property("quarkus.management.enabled"));
    }

    /** The port the health endpoints answer on: the management port when that interface is enabled. */
    public int healthPort() {
        return managementInterface() ? Integer.parseInt(property("quarkus.management.port")) : httpPort();
    }

    /** The health paths SmallRye Health serves for this module: the root and its live, ready and started checks. */
    public Set<String> healthPaths() {
        String nonApplicationRoot = property("quarkus.http.non-application-root-path");
        String base = managementInterface() ? property("quarkus.management.root-path")
                : nonApplicationRoot.startsWith("/") ? nonApplicationRoot
                : join(property("quarkus.http.root-path"), nonApplicationRoot);
        String health = resolve(base, property("quarkus.smallrye-health.root-path"));
        Set<String> paths = new LinkedHashSet<>();
        paths.add(health);
        for (String check : List.of("liveness", "readiness", "startup")) {
            paths.add(resolve(health, property("quarkus.smallrye-health." + check + "-path")));
        }
        return paths;
    }

    /** The readiness path, for healthchecks that must say "ready" and not merely "alive". */
    public String readinessPath() {
        String[] paths = healthPaths().toArray(String[]::new);
        return paths[2];
    }

    /**
     * Whether an environment variable sets a key this service reads, by SmallRye Config's mapping of property names
     * to environment variables (every character that is not a letter or digit becomes {@code _}, upper case).
     */
    public boolean reads(String environmentVariable) {
        // Not a Quarkus key: the container image's launcher reads it, for a module that defines its JVM options.
        if (jvmOptions && environmentVariable.equals(JvmOptions.VARIABLE)) {
            return true;
        }
        for (String key : properties.keySet()) {
            if (toEnvironmentVariable(key).equals(environmentVariable)) {
                return true;
            }
        }
        // A value may name a variable itself, as in quarkus.http.cors.origins=${FEEDS_CORS_ORIGINS:...}.
        for (String value : properties.values()) {
            if (value == null) {
                continue;
            }
            Matcher expression = EXPRESSION.matcher(value);
            while (expression.find()) {
                if (toEnvironmentVariable(expression.group(1)).equals(environmentVariable)) {
                    return true;
                }
            }
        }
        for (String prefix : mappingPrefixes) {
            String envPrefix = toEnvironmentVariable(prefix) + "_";
            if (!environmentVariable.startsWith(envPrefix)) {
                continue;
            }
            // A mapping's leaf may sit below map keys and nested groups (feeds.channels.namespace.<name>.read):
            // accept the variable when it ends with one of the mapping's member names.
            for (String leaf : mappingLeaves.getOrDefault(prefix, Set.of())) {
                String envLeaf = toEnvironmentVariable(leaf);
                if (environmentVariable.equals(envPrefix + envLeaf) || environmentVariable.endsWith("_" + envLeaf)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static String toEnvironmentVariable(String propertyName) {
        return propertyName.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String join(String root, String path) {
        return (root.endsWith("/") ? root : root + "/") + path;
    }

    private static String resolve(String base, String path) {
        return path.startsWith("/") ? path : join(base, path);
    }

    private static List<String> projectDependencies(String pom) {
        List<String> modules = new ArrayList<>();
        Matcher m = PROJECT_DEPENDENCY.matcher(pom);
        while (m.find()) {
            if (!m.group(2).contains("<scope>test</scope>")) {
                modules.add(m.group(1).trim());
            }
        }
        return modules;
    }

    private static void loadInto(Path file, Map<String, String> into, boolean overrides) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : loaded.stringPropertyNames()) {
            // %dev.quarkus.http.port and quarkus.http.port set the same key in different profiles.
            boolean profiled = name.startsWith("%");
            String key = profiled ? name.substring(name.indexOf('.') + 1) : name;
            if (overrides && !profiled) {
                into.put(key, loaded.getProperty(name));
            } else {
                into.putIfAbsent(key, loaded.getProperty(name));
            }
        }
    }

    private static void scanSources(Path sources, Map<String, String> properties, Set<String> prefixes,
            Map<String, Set<String>> leaves) {
        if (!Files.isDirectory(sources)) {
            return;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String source = Files.readString(file);
                Matcher property = CONFIG_PROPERTY.matcher(source);
                while (property.find()) {
                    properties.putIfAbsent(property.group(1), null);
                }
                Matcher prefix = MAPPING_PREFIX.matcher(source);
                if (prefix.find()) {
                    Set<String> members = new LinkedHashSet<>();
                    Matcher method = MAPPING_METHOD.matcher(source);
                    while (method.find()) {
                        members.add(kebab(method.group(1)));
                    }
                    prefixes.add(prefix.group(1));
                    leaves.computeIfAbsent(prefix.group(1), p -> new LinkedHashSet<>()).addAll(members);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SmallRye Config's default naming of a mapping member: cacheTtl becomes cache-ttl. */
    private static String kebab(String member) {
        return member.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
