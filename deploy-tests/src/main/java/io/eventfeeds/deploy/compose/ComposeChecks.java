package io.eventfeeds.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.deploy.Problems;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.config.ServiceConfig;
import io.eventfeeds.deploy.realm.RealmImports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Cross-checks of docker-compose.yml against the services' configuration and the local platform. Each check returns
 * the problems it found, so that tests run it on the real file (none) and on a broken copy (exactly that problem).
 */
public final class ComposeChecks {

    public static final String KAFKA = "kafka";
    public static final String KEYCLOAK = "keycloak";
    private static final String KEYCLOAK_IMPORT_DIR = "/opt/keycloak/data/import/";

    private final Repository repository;
    private final Map<String, ServiceConfig> configs = new HashMap<>();

    public ComposeChecks(Repository repository) {
        this.repository = repository;
    }

    public List<String> all(JsonNode compose) {
        return Stream.<Function<JsonNode, List<String>>>of(this::healthchecks, this::publishedPorts,
                this::environmentFitsTheService, this::keycloakServesTheRealm, this::imagesAndBuilds)
                .flatMap(check -> check.apply(compose).stream()).toList();
    }

    /** A service of the file, with its module's configuration when it runs one of the project's services. */
    private record Service(String name, JsonNode node, Optional<ServiceConfig> config, Map<String, String> env) {
        /** The port it listens on: its QUARKUS_HTTP_PORT, its module's port, or Keycloak's KC_HTTP_PORT. */
        int port() {
            String override = env.getOrDefault("QUARKUS_HTTP_PORT", env.get("KC_HTTP_PORT"));
            return override != null ? Integer.parseInt(override) : config.map(ServiceConfig::httpPort).orElse(8080);
        }
    }

    private List<Service> services(JsonNode compose) {
        List<Service> services = new ArrayList<>();
        compose.path("services").fields().forEachRemaining(f -> services.add(new Service(f.getKey(), f.getValue(),
                config(f.getKey()), ComposeFile.environment(f.getValue()))));
        return services;
    }

    private Stream<Service> projectServices(JsonNode compose) {
        return services(compose).stream().filter(s -> s.config().isPresent());
    }

    private Optional<ServiceConfig> config(String name) {
        return ServiceConfig.isServiceModule(repository, name)
                ? Optional.of(configs.computeIfAbsent(name, m -> ServiceConfig.of(repository, m))) : Optional.empty();
    }

    /** The project's services' healthchecks ask their readiness path on the port they serve health on. */
    public List<String> healthchecks(JsonNode compose) {
        Problems problems = new Problems();
        projectServices(compose).forEach(s -> {
            ServiceConfig config = s.config().get();
            String test = s.node().at("/healthcheck/test").toString();
            int port = config.managementInterface() ? config.healthPort() : s.port();
            problems.unless(test.contains(config.readinessPath()),
                    "service " + s.name() + " healthcheck does not ask the readiness path " + config.readinessPath());
            problems.unless(test.matches(".*\\b" + port + "\\b.*"), "service " + s.name() + " healthcheck does not ask port "
                    + port + ", where " + config.module() + " serves health");
        });
        return problems;
    }

    /** Only the services and Keycloak are reachable from the host (Kafka takes no credentials), on the port they listen on. */
    public List<String> publishedPorts(JsonNode compose) {
        Problems problems = new Problems();
        for (Service s : services(compose)) {
            JsonNode ports = s.node().path("ports");
            boolean published = s.config().isPresent() || s.name().equals(KEYCLOAK);
            problems.unless(published || ports.isEmpty(), "service " + s.name() + " publishes " + ports
                    + ": only the gateway, feed-service and Keycloak may be reachable from the host");
            // The container port: a long form's target, or the last part of a short one ("127.0.0.1:8080:8080/tcp").
            ports.forEach(port -> problems.unless(!published || s.port() == (port.isObject() ? port.path("target").asInt()
                    : Integer.parseInt(port.asText().split("/")[0].replaceAll(".*:", ""))), "service " + s.name() + " publishes "
                    + port + ", but it listens on " + s.port()));
        }
        return problems;
    }

    /** See {@link ServiceConfig#environmentProblems}. */
    public List<String> environmentFitsTheService(JsonNode compose) {
        return projectServices(compose).flatMap(s -> s.config().get().environmentProblems("service " + s.name(), s.env())).toList();
    }

    /**
     * Keycloak imports auth-config's realm file itself, the one the Kubernetes imports are generated from, and the
     * services find it inside the network, by the realm's name in that file.
     */
    public List<String> keycloakServesTheRealm(JsonNode compose) {
        JsonNode keycloak = compose.path("services").path(KEYCLOAK);
        Problems problems = new Problems();
        problems.unless(ComposeFile.command(keycloak).contains("--import-realm"), "service keycloak does not start with --import-realm");
        List<String> imported = new ArrayList<>();
        keycloak.path("volumes").forEach(volume -> {
            String[] parts = volume.asText().split(":");
            if (parts.length >= 2 && parts[1].startsWith(KEYCLOAK_IMPORT_DIR)) {
                imported.add(parts[0]);
            }
        });
        problems.same("service keycloak's realm import", imported, List.of("./" + Repository.REALM_FILE), "the one realm, into "
                + KEYCLOAK_IMPORT_DIR);
        String oidc = "http://" + KEYCLOAK + ":" + ComposeFile.environment(keycloak).getOrDefault("KC_HTTP_PORT", "8080") + "/realms/"
                + RealmImports.realm(repository).path("realm").asText();
        projectServices(compose).forEach(s -> problems.same("service " + s.name() + " QUARKUS_OIDC_AUTH_SERVER_URL",
                s.env().get("QUARKUS_OIDC_AUTH_SERVER_URL"), oidc, "Keycloak inside the network, and the realm"));
        return problems;
    }

    /** The services are built from their module's Dockerfile; Kafka and Keycloak run the pom's versions. */
    public List<String> imagesAndBuilds(JsonNode compose) {
        String kafka = "apache/kafka:" + repository.pomProperty("kafka.version");
        Map<String, String> platformImages = Map.of(KAFKA, kafka, "kafka-init", kafka,
                KEYCLOAK, "quay.io/keycloak/keycloak:" + repository.pomProperty("keycloak.version"));
        Problems problems = new Problems();
        for (Service s : services(compose)) {
            Path file = repository.root().resolve(s.node().at("/build/context").asText(""))
                    .resolve(s.node().at("/build/dockerfile").asText("")).normalize();
            problems.unless(s.config().isEmpty() || file.startsWith(repository.resolve(s.name() + "/src/main/docker"))
                    && Files.isRegularFile(file), "service " + s.name() + " builds from " + repository.root().relativize(file)
                    + ", which is not a Dockerfile of module " + s.name() + " (" + s.name() + "/src/main/docker/)");
            if (platformImages.containsKey(s.name())) {
                problems.same("service " + s.name() + " image", s.node().path("image").asText(), platformImages.get(s.name()),
                        "the platform's version");
            }
        }
        return problems;
    }

}
