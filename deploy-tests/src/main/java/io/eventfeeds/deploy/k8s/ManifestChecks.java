package io.eventfeeds.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.deploy.Repository;
import io.eventfeeds.deploy.config.JvmOptions;
import io.eventfeeds.deploy.config.ServiceConfig;
import io.eventfeeds.deploy.realm.RealmImports;
import io.eventfeeds.events.EventTopics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import java.time.Duration;

/**
 * Cross-checks of a rendered overlay. Each check is a small function returning the problems it found, one sentence
 * each, so that a test can run it on the real overlay (no problem) and on a deliberately broken copy (that problem).
 */
public final class ManifestChecks {

    /** Services the operators create from the custom resources (the manifests only name them). */
    public static final String KEYCLOAK_SERVICE_SUFFIX = "-service";
    public static final int KEYCLOAK_HTTP_PORT = 8080;
    public static final String KAFKA_BOOTSTRAP_SUFFIX = "-kafka-bootstrap";
    /** The label that NetworkPolicies and Strimzi's listener admit to Kafka. */
    public static final String KAFKA_CLIENT_LABEL = "eventfeeds.io/kafka-client";
    /** WebSockets stay open; the ingress must not cut an idle one before this (seconds). */
    public static final int MIN_WEBSOCKET_TIMEOUT_SECONDS = 3600;
    /** The gateway's connection-draining budget when its configuration sets no quarkus.shutdown.timeout. */
    public static final int DEFAULT_DRAIN_SECONDS = 30;

    private final Repository repository;
    private final Function<String, ServiceConfig> services;

    public ManifestChecks(Repository repository) {
        this.repository = repository;
        Map<String, ServiceConfig> cache = new HashMap<>();
        this.services = module -> cache.computeIfAbsent(module, m -> ServiceConfig.of(repository, m));
    }

    /** Every check, for the whole overlay. */
    public List<String> all(List<HasMetadata> objects, Overlay overlay) {
        List<String> problems = new ArrayList<>();
        problems.addAll(serviceSelectorsMatchPods(objects));
        problems.addAll(serviceTargetPortsExist(objects));
        problems.addAll(servicesHideTheManagementPort(objects));
        problems.addAll(probesUseHealthPaths(objects));
        problems.addAll(referencedConfigExists(objects, operatorProvidedSecrets()));
        problems.addAll(imagesNameTheirModules(objects));
        problems.addAll(environmentIsReadByTheService(objects));
        problems.addAll(podsAreHardened(objects));
        problems.addAll(gatewayDrainsAndScales(objects));
        problems.addAll(ingressIsTlsAndKeepsWebSocketsOpen(objects));
        problems.addAll(ingressRoutesNoPrivatePath(objects));
        problems.addAll(onlyTheServicesReachKafka(objects));
        problems.addAll(kafkaMatchesThePlatform(objects));
        problems.addAll(kafkaAuthenticatesAndAuthorizes(objects));
        problems.addAll(keycloakMatchesTheServices(objects));
        problems.addAll(realmImportMatchesAuthConfig(objects, overlay));
        problems.addAll(gatewayAllowsItsPublicOrigin(objects));
        problems.addAll(jvmOptionsAreTheModules(objects));
        problems.addAll(gatewayHasGuaranteedResources(objects));
        if (overlay == Overlay.PROD) {
            problems.addAll(productionCarriesNoSecrets(objects));
            problems.addAll(productionRealmIsLockedDown(objects));
            problems.addAll(productionAllowsOnlyListedClients(objects));
        }
        return problems;
    }

    // --- Services -------------------------------------------------------------------------------------------

    public List<String> serviceSelectorsMatchPods(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (Service service : Objects.ofKind(objects, Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            if (podTemplatesSelectedBy(objects, selector).isEmpty()) {
                problems.add("Service " + name(service) + " selects " + selector + " but no pod template has those labels");
            }
        }
        return problems;
    }

    public List<String> serviceTargetPortsExist(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        forEachServicePort(objects, (service, template, port, target) -> {
            if (findPort(template.getSpec().getContainers(), target).isEmpty()) {
                problems.add("Service " + name(service) + " port " + port.getName() + " targets " + show(target)
                        + ", which no container of its pods declares");
            }
        });
        return problems;
    }

    /**
     * No Service reaches a pod's management port (health, metrics, OpenAPI): what a Service exposes, an Ingress or
     * another pod can reach, while probes and Prometheus address the pod itself.
     */
    public List<String> servicesHideTheManagementPort(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        forEachServicePort(objects, (service, template, port, target) -> {
            for (Container container : template.getSpec().getContainers()) {
                String module = imageModule(container.getImage());
                if (!ServiceConfig.isServiceModule(repository, module) || !services.apply(module).managementInterface()) {
                    continue;
                }
                int management = services.apply(module).healthPort();
                if (findPort(List.of(container), target).filter(p -> p.getContainerPort() == management).isPresent()) {
                    problems.add("Service " + name(service) + " port " + port.getName() + " exposes " + module
                            + "'s management port " + management + " (health, metrics, OpenAPI)");
                }
            }
        });
        return problems;
    }

    interface ServicePortCheck {
        void check(Service service, PodTemplateSpec template, ServicePort port, IntOrString target);
    }

    /** Each port of each Service with a selector, once for every pod template it selects, with the port it targets. */
    private static void forEachServicePort(List<HasMetadata> objects, ServicePortCheck check) {
        for (Service service : Objects.ofKind(objects, Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            for (PodTemplateSpec template : podTemplatesSelectedBy(objects, selector).values()) {
                for (ServicePort port : service.getSpec().getPorts()) {
                    IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                    check.check(service, template, port, target);
                }
            }
        }
    }

    // --- Pods -------------------------------------------------------------------------------------------------

    public List<String> probesUseHealthPaths(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        forEachServiceContainer(objects, (deployment, container, config) -> {
            Map<String, Probe> probes = new LinkedHashMap<>();
            probes.put("readiness", container.getReadinessProbe());
            probes.put("liveness", container.getLivenessProbe());
            probes.put("startup", container.getStartupProbe());
            for (Map.Entry<String, Probe> probe : probes.entrySet()) {
                if (probe.getValue() == null) {
                    if (!probe.getKey().equals("startup")) {
                        problems.add(where(deployment, container) + " has no " + probe.getKey() + " probe");
                    }
                    continue;
                }
                HTTPGetAction get = probe.getValue().getHttpGet();
                if (get == null) {
                    problems.add(where(deployment, container) + " " + probe.getKey() + " probe is not an HTTP GET");
                    continue;
                }
                if (!config.healthPaths().contains(get.getPath())) {
                    problems.add(where(deployment, container) + " " + probe.getKey() + " probe path " + get.getPath()
                            + " is not a health path " + config.module() + " serves " + config.healthPaths());
                }
                Optional<ContainerPort> port = findPort(List.of(container), get.getPort());
                if (port.isEmpty() || port.get().getContainerPort() != config.healthPort()) {
                    problems.add(where(deployment, container) + " " + probe.getKey() + " probe port " + show(get.getPort())
                            + " is not the port " + config.module() + " serves health on (" + config.healthPort() + ")");
                }
            }
            String readiness = container.getReadinessProbe() != null && container.getReadinessProbe().getHttpGet() != null
                    ? container.getReadinessProbe().getHttpGet().getPath() : null;
            if (readiness != null && config.healthPaths().contains(readiness) && !readiness.equals(config.readinessPath())) {
                problems.add(where(deployment, container) + " readiness probe asks " + readiness + " instead of "
                        + config.readinessPath());
            }
        });
        return problems;
    }

    public List<String> imagesNameTheirModules(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : Objects.ofKind(objects, Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                String module = imageModule(container.getImage());
                if (!ServiceConfig.isServiceModule(repository, module)) {
                    problems.add(where(deployment, container) + " runs image " + container.getImage()
                            + ", which no module builds (expected <registry>/<module>:<tag> for a module with src/main/docker/)");
                } else if (!module.equals(container.getName()) || !module.equals(name(deployment))) {
                    problems.add(where(deployment, container) + " runs the image of " + module
                            + ": name the Deployment and container after the module they run");
                }
            }
        }
        return problems;
    }

    public List<String> environmentIsReadByTheService(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        forEachServiceContainer(objects, (deployment, container, config) -> {
            List<String> names = new ArrayList<>();
            for (EnvVar env : nullSafe(container.getEnv())) {
                names.add(env.getName());
            }
            for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
                if (from.getConfigMapRef() != null) {
                    Objects.named(Objects.ofKind(objects, ConfigMap.class), from.getConfigMapRef().getName())
                            .ifPresent(map -> names.addAll(map.getData().keySet()));
                }
                if (from.getSecretRef() != null) {
                    Objects.named(Objects.ofKind(objects, Secret.class), from.getSecretRef().getName())
                            .ifPresent(secret -> names.addAll(ConfigReferences.secretKeys(secret)));
                }
            }
            for (String variable : names) {
                if (!config.reads(variable)) {
                    problems.add(where(deployment, container) + " sets " + variable + ", which " + config.module()
                            + " does not read (no such key in its configuration)");
                }
            }
        });
        return problems;
    }

    public List<String> podsAreHardened(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        forEachServiceContainer(objects, (deployment, container, config) -> {
            PodSecurityContext pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
            SecurityContext own = container.getSecurityContext();
            boolean nonRoot = (own != null && Boolean.TRUE.equals(own.getRunAsNonRoot()))
                    || (pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot()));
            if (!nonRoot) {
                problems.add(where(deployment, container) + " may run as root (set runAsNonRoot: true)");
            }
            if (own == null || !Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
                problems.add(where(deployment, container) + " has a writable root filesystem (readOnlyRootFilesystem: true)");
            }
            if (own == null || !Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
                problems.add(where(deployment, container) + " allows privilege escalation (allowPrivilegeEscalation: false)");
            }
            var resources = container.getResources();
            for (String kind : List.of("cpu", "memory")) {
                if (resources == null || resources.getRequests() == null || !resources.getRequests().containsKey(kind)) {
                    problems.add(where(deployment, container) + " has no " + kind + " request");
                }
                if (resources == null || resources.getLimits() == null || !resources.getLimits().containsKey(kind)) {
                    problems.add(where(deployment, container) + " has no " + kind + " limit");
                }
            }
            boolean tmpMounted = nullSafe(container.getVolumeMounts()).stream().anyMatch(m -> "/tmp".equals(m.getMountPath()));
            if (!tmpMounted) {
                problems.add(where(deployment, container) + " has no writable /tmp volume, which Quarkus needs on a read-only root");
            }
        });
        return problems;
    }

    // --- Gateway: draining and scaling ------------------------------------------------------------------------

    public List<String> gatewayDrainsAndScales(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        Optional<Deployment> gateway = Objects.named(Objects.ofKind(objects, Deployment.class), Ingresses.GATEWAY);
        if (gateway.isEmpty()) {
            return List.of("no Deployment " + Ingresses.GATEWAY);
        }
        PodSpec pod = gateway.get().getSpec().getTemplate().getSpec();
        long preStop = 0;
        for (Container container : pod.getContainers()) {
            if (container.getLifecycle() != null && container.getLifecycle().getPreStop() != null
                    && container.getLifecycle().getPreStop().getExec() != null) {
                List<String> command = container.getLifecycle().getPreStop().getExec().getCommand();
                if (command.size() == 2 && command.get(0).equals("sleep")) {
                    preStop = Long.parseLong(command.get(1));
                }
            }
        }
        long drain = drainSeconds(services.apply(Ingresses.GATEWAY));
        long grace = pod.getTerminationGracePeriodSeconds() == null ? 30 : pod.getTerminationGracePeriodSeconds();
        if (grace < preStop + drain + 5) {
            problems.add("Deployment " + Ingresses.GATEWAY + " terminationGracePeriodSeconds " + grace
                    + " is shorter than preStop (" + preStop + " s) + connection draining (" + drain + " s) + 5 s");
        }
        Map<String, String> labels = gateway.get().getSpec().getTemplate().getMetadata().getLabels();
        boolean scaled = Objects.ofKind(objects, HorizontalPodAutoscaler.class).stream()
                .anyMatch(hpa -> "Deployment".equals(hpa.getSpec().getScaleTargetRef().getKind())
                        && Ingresses.GATEWAY.equals(hpa.getSpec().getScaleTargetRef().getName()));
        if (!scaled) {
            problems.add("no HorizontalPodAutoscaler scales Deployment " + Ingresses.GATEWAY);
        }
        if (gateway.get().getSpec().getReplicas() != null && scaled) {
            problems.add("Deployment " + Ingresses.GATEWAY + " sets replicas although an autoscaler owns them");
        }
        boolean budgeted = Objects.ofKind(objects, PodDisruptionBudget.class).stream()
                .anyMatch(pdb -> selects(pdb.getSpec().getSelector(), labels));
        if (!budgeted) {
            problems.add("no PodDisruptionBudget selects the pods of " + Ingresses.GATEWAY);
        }
        return problems;
    }

    /**
     * How long the gateway may take to stop after SIGTERM: Quarkus' shutdown delay (when enabled; the gateway closes
     * connections with 1001 in it, waiting at most its shutdown grace) plus Quarkus' HTTP drain timeout;
     * {@value #DEFAULT_DRAIN_SECONDS} s when none is set.
     */
    static long drainSeconds(ServiceConfig gateway) {
        Duration timeout = gateway.property("quarkus.shutdown.timeout", Duration.class, null);
        Duration delay = gateway.property("quarkus.shutdown.delay-enabled", Boolean.class, false)
                ? gateway.property("quarkus.shutdown.delay", Duration.class, null) : null;
        Duration grace = gateway.property("feeds.gateway.shutdown-grace", Duration.class, null);
        if (timeout == null && delay == null && grace == null) {
            return DEFAULT_DRAIN_SECONDS;
        }
        return Stream.of(timeout, delay, grace).filter(java.util.Objects::nonNull).mapToLong(Duration::toSeconds).sum();
    }

    // --- JVM options and resources (latency) --------------------------------------------------------------------

    /** A container whose module defines its JVM options (jvm.options) runs with exactly those. */
    public List<String> jvmOptionsAreTheModules(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        forEachServiceContainer(objects, (deployment, container, config) -> JvmOptions.mismatch(repository,
                config.module(), where(deployment, container), environmentValue(objects, container, JvmOptions.VARIABLE))
                .ifPresent(problems::add));
        return problems;
    }

    /**
     * The gateway's requests equal its limits (Guaranteed QoS): its CPU is reserved, not borrowed and throttled when
     * neighbours are busy, and its fixed, pre-touched heap is memory it holds from the start.
     */
    public List<String> gatewayHasGuaranteedResources(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        Optional<Deployment> gateway = Objects.named(Objects.ofKind(objects, Deployment.class), Ingresses.GATEWAY);
        if (gateway.isEmpty()) {
            return List.of("no Deployment " + Ingresses.GATEWAY);
        }
        for (Container container : gateway.get().getSpec().getTemplate().getSpec().getContainers()) {
            var resources = container.getResources();
            Map<String, Quantity> requests = resources == null || resources.getRequests() == null ? Map.of()
                    : resources.getRequests();
            Map<String, Quantity> limits = resources == null || resources.getLimits() == null ? Map.of()
                    : resources.getLimits();
            for (String kind : List.of("cpu", "memory")) {
                Quantity request = requests.get(kind);
                Quantity limit = limits.get(kind);
                if (request == null || limit == null
                        || Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) != 0) {
                    problems.add(where(gateway.get(), container) + " " + kind + " request " + request + " differs from"
                            + " its limit " + limit + ": the gateway needs Guaranteed QoS (requests equal to limits)");
                }
            }
        }
        return problems;
    }

    /** The gateway's WebSocket Origin allowlist key (gateway-service security), as an environment variable. */
    public static final String ALLOWED_ORIGINS = "FEEDS_GATEWAY_SECURITY_ALLOWED_ORIGINS";

    /**
     * When the gateway checks the WebSocket handshake's Origin, its allowlist must hold the public origin of its
     * Ingress, or every browser would be refused (403). Its default lists only the local origins.
     */
    public List<String> gatewayAllowsItsPublicOrigin(List<HasMetadata> objects) {
        ServiceConfig gateway = services.apply(Ingresses.GATEWAY);
        Optional<String> origin = Ingresses.gatewayOrigin(objects);
        Optional<Deployment> deployment = Objects.named(Objects.ofKind(objects, Deployment.class), Ingresses.GATEWAY);
        if (!gateway.reads(ALLOWED_ORIGINS) || origin.isEmpty() || deployment.isEmpty()) {
            return List.of();
        }
        for (Container container : deployment.get().getSpec().getTemplate().getSpec().getContainers()) {
            String allowed = environmentValue(objects, container, ALLOWED_ORIGINS);
            if (allowed == null || !List.of(allowed.split("\\s*,\\s*")).contains(origin.get())) {
                return List.of(where(deployment.get(), container) + " " + ALLOWED_ORIGINS + " is " + allowed
                        + ": it must allow " + origin.get() + ", or browsers' WebSocket handshakes are refused");
            }
        }
        return List.of();
    }

    private static String environmentValue(List<HasMetadata> objects, Container container, String name) {
        for (EnvVar env : nullSafe(container.getEnv())) {
            if (env.getName().equals(name)) {
                return env.getValue();
            }
        }
        for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                Optional<ConfigMap> map = Objects.named(Objects.ofKind(objects, ConfigMap.class), from.getConfigMapRef().getName());
                if (map.isPresent() && map.get().getData() != null && map.get().getData().containsKey(name)) {
                    return map.get().getData().get(name);
                }
            }
        }
        return null;
    }

    // --- Ingress ----------------------------------------------------------------------------------------------

    public List<String> ingressIsTlsAndKeepsWebSocketsOpen(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        List<Ingress> ingresses = Objects.ofKind(objects, Ingress.class);
        for (String exposed : List.of(Ingresses.GATEWAY, "feed-service", keycloakServiceName(objects))) {
            if (Ingresses.hostServing(objects, exposed).isEmpty()) {
                problems.add("no Ingress rule routes to " + exposed);
            }
        }
        for (Ingress ingress : ingresses) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                if (!Ingresses.hasTls(objects, rule.getHost())) {
                    problems.add("Ingress " + name(ingress) + " serves " + rule.getHost() + " without TLS");
                }
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    problems.addAll(backendExists(objects, ingress, path));
                }
            }
            Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? Map.of()
                    : ingress.getMetadata().getAnnotations();
            for (String key : List.of("nginx.ingress.kubernetes.io/proxy-read-timeout",
                    "nginx.ingress.kubernetes.io/proxy-send-timeout")) {
                String value = annotations.get(key);
                if (value == null || !value.matches("\\d+") || Integer.parseInt(value) < MIN_WEBSOCKET_TIMEOUT_SECONDS) {
                    problems.add("Ingress " + name(ingress) + " " + key + " is " + value + ": WebSockets need at least "
                            + MIN_WEBSOCKET_TIMEOUT_SECONDS + " s");
                }
            }
            for (IngressTLS tls : nullSafe(ingress.getSpec().getTls())) {
                if (tls.getSecretName() == null) {
                    problems.add("Ingress " + name(ingress) + " has a TLS entry without a secretName");
                }
            }
        }
        return problems;
    }

    /**
     * Paths of the services that must not face the internet: Quarkus's /q/ endpoints. They are served on the
     * management port, which no Service exposes; this list still keeps an Ingress from routing them should a service
     * serve them on its application port again.
     */
    public static final List<String> PRIVATE_SERVICE_PATHS = List.of("/q/metrics", "/q/openapi", "/q/swagger-ui/",
            "/q/health/ready", "/q/dev-ui/");
    /** Keycloak's administration and its master realm, where the admin logs in. */
    public static final List<String> PRIVATE_KEYCLOAK_PATHS = List.of("/admin/master/console/", "/admin/realms/feeds",
            "/realms/master/protocol/openid-connect/token", "/metrics", "/health");

    /**
     * No Ingress path reaches a private path: the services' /q/ endpoints, Keycloak's /admin and master realm. An
     * Exact path covers only itself; a Prefix (or implementation-specific) path covers itself and everything below.
     */
    public List<String> ingressRoutesNoPrivatePath(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        String keycloak = keycloakServiceName(objects);
        for (Ingress ingress : Objects.ofKind(objects, Ingress.class)) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                if (rule.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    var backend = path.getBackend().getService();
                    if (backend == null) {
                        continue;
                    }
                    List<String> privatePaths = backend.getName().equals(keycloak) ? PRIVATE_KEYCLOAK_PATHS
                            : PRIVATE_SERVICE_PATHS;
                    for (String privatePath : privatePaths) {
                        if (covers(path, privatePath)) {
                            problems.add("Ingress " + name(ingress) + " path " + path.getPath() + " ("
                                    + path.getPathType() + ") exposes " + backend.getName() + "'s " + privatePath);
                        }
                    }
                }
            }
        }
        return problems;
    }

    private static boolean covers(HTTPIngressPath path, String request) {
        String p = path.getPath() == null ? "/" : path.getPath();
        if ("Exact".equals(path.getPathType())) {
            return p.equals(request);
        }
        String prefix = p.endsWith("/") ? p : p + "/";
        return request.equals(p) || request.startsWith(prefix);
    }

    private List<String> backendExists(List<HasMetadata> objects, Ingress ingress, HTTPIngressPath path) {
        var backend = path.getBackend().getService();
        if (backend == null) {
            return List.of();
        }
        String where = "Ingress " + name(ingress) + " path " + path.getPath();
        if (backend.getName().equals(keycloakServiceName(objects))) {
            return backend.getPort().getNumber() != null && backend.getPort().getNumber() == KEYCLOAK_HTTP_PORT ? List.of()
                    : List.of(where + " targets Keycloak on a port other than " + KEYCLOAK_HTTP_PORT);
        }
        Optional<Service> service = Objects.named(Objects.ofKind(objects, Service.class), backend.getName());
        if (service.isEmpty()) {
            return List.of(where + " targets Service " + backend.getName() + ", which does not exist");
        }
        boolean portExists = service.get().getSpec().getPorts().stream().anyMatch(p -> backend.getPort().getName() != null
                ? backend.getPort().getName().equals(p.getName())
                : java.util.Objects.equals(backend.getPort().getNumber(), p.getPort()));
        return portExists ? List.of() : List.of(where + " targets a port Service " + backend.getName() + " does not have");
    }

    // --- Network ----------------------------------------------------------------------------------------------

    public List<String> onlyTheServicesReachKafka(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        List<NetworkPolicy> policies = Objects.ofKind(objects, NetworkPolicy.class);
        boolean denyAll = policies.stream().anyMatch(p -> isEmpty(p.getSpec().getPodSelector())
                && p.getSpec().getPolicyTypes().contains("Ingress") && nullSafe(p.getSpec().getIngress()).isEmpty());
        if (!denyAll) {
            problems.add("no NetworkPolicy denies ingress by default: every pod would be reachable");
        }
        // No pod receives traffic from anywhere (an ingress rule with no "from"): the public ones only through the
        // ingress controller, so that nothing else in the cluster reaches Keycloak (which trusts X-Forwarded-*) or
        // the services' /q/ endpoints.
        for (NetworkPolicy policy : policies) {
            for (NetworkPolicyIngressRule rule : nullSafe(policy.getSpec().getIngress())) {
                if (nullSafe(rule.getFrom()).isEmpty()) {
                    problems.add("NetworkPolicy " + name(policy) + " opens " + policy.getSpec().getPodSelector().getMatchLabels()
                            + " to every source: admit the ingress controller (and the services) only");
                }
            }
        }
        Optional<GenericKubernetesResource> kafka = Objects.custom(objects, "Kafka").stream().findFirst();
        if (kafka.isEmpty()) {
            return problems;
        }
        String cluster = kafka.get().getMetadata().getName();
        boolean kafkaPolicy = false;
        for (NetworkPolicy policy : policies) {
            Map<String, String> selected = policy.getSpec().getPodSelector().getMatchLabels();
            if (selected == null || !cluster.equals(selected.get("strimzi.io/cluster"))) {
                continue;
            }
            kafkaPolicy = true;
            for (NetworkPolicyIngressRule rule : nullSafe(policy.getSpec().getIngress())) {
                for (NetworkPolicyPeer peer : nullSafe(rule.getFrom())) {
                    problems.addAll(peerIsAService(objects, "NetworkPolicy " + name(policy), peer.getPodSelector(),
                            peer.getNamespaceSelector() != null || peer.getIpBlock() != null));
                }
                if (nullSafe(rule.getFrom()).isEmpty()) {
                    problems.add("NetworkPolicy " + name(policy) + " admits everyone to Kafka");
                }
            }
        }
        if (!kafkaPolicy) {
            problems.add("no NetworkPolicy restricts who reaches Kafka cluster " + cluster);
        }
        for (Object listener : (List<?>) Objects.at(kafka.get(), "spec", "kafka", "listeners").orElse(List.of())) {
            Object peers = ((Map<?, ?>) listener).get("networkPolicyPeers");
            if (peers == null) {
                problems.add("Kafka " + cluster + " listener " + ((Map<?, ?>) listener).get("name")
                        + " has no networkPolicyPeers: Strimzi would open it to every pod");
                continue;
            }
            for (Object peer : (List<?>) peers) {
                Object selector = ((Map<?, ?>) peer).get("podSelector");
                LabelSelector labels = selector == null ? null
                        : new ObjectMapper().convertValue(selector, LabelSelector.class);
                problems.addAll(peerIsAService(objects, "Kafka " + cluster + " listener", labels,
                        ((Map<?, ?>) peer).containsKey("namespaceSelector") || ((Map<?, ?>) peer).containsKey("ipBlock")));
            }
        }
        return problems;
    }

    /** A peer admitted to Kafka must select the services' pods, and only those. */
    private List<String> peerIsAService(List<HasMetadata> objects, String where, LabelSelector selector, boolean wider) {
        if (wider || selector == null || isEmpty(selector)) {
            return List.of(where + " admits more than the services' pods to Kafka");
        }
        List<String> problems = new ArrayList<>();
        Set<String> selected = new java.util.TreeSet<>();
        for (Deployment deployment : Objects.ofKind(objects, Deployment.class)) {
            if (selects(selector, deployment.getSpec().getTemplate().getMetadata().getLabels())) {
                selected.add(name(deployment));
            }
        }
        for (String module : selected) {
            if (!ServiceConfig.isServiceModule(repository, module)) {
                problems.add(where + " admits " + module + ", which is not one of the services");
            }
        }
        for (Deployment deployment : Objects.ofKind(objects, Deployment.class)) {
            if (ServiceConfig.isServiceModule(repository, name(deployment)) && !selected.contains(name(deployment))) {
                problems.add(where + " does not admit " + name(deployment) + ", which needs Kafka");
            }
        }
        return problems;
    }

    // --- Kafka and Keycloak -----------------------------------------------------------------------------------

    /** The services that may use the event topic, each with the operations it needs. */
    public static final Map<String, Set<String>> EVENT_TOPIC_USERS = Map.of(
            "feed-service", Set.of("Describe", "Write", "Read"),
            "gateway-service", Set.of("Describe", "Write", "Read"));

    /**
     * Kafka is the trust boundary: a pod that reaches it must not write events with a forged publisher. Every
     * listener authenticates, ACLs authorize, each Kafka client Deployment logs in as its own KafkaUser (its
     * Secret's sasl.jaas.config, over SASL), and only the services touch the event topic, with the operations they
     * need.
     */
    public List<String> kafkaAuthenticatesAndAuthorizes(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (GenericKubernetesResource kafka : Objects.custom(objects, "Kafka")) {
            String cluster = name(kafka);
            for (Object listener : (List<?>) Objects.at(kafka, "spec", "kafka", "listeners").orElse(List.of())) {
                Map<?, ?> l = (Map<?, ?>) listener;
                Object auth = l.get("authentication") instanceof Map<?, ?> a ? a.get("type") : null;
                if (auth == null) {
                    problems.add("Kafka " + cluster + " listener " + l.get("name") + " accepts clients without authentication");
                }
            }
            if (!"simple".equals(Objects.at(kafka, "spec", "kafka", "authorization", "type").orElse(null))) {
                problems.add("Kafka " + cluster + " authorizes nothing (spec.kafka.authorization.type: simple)");
            }
            if (Objects.at(kafka, "spec", "entityOperator", "userOperator").isEmpty()) {
                problems.add("Kafka " + cluster + " has no user operator to make its KafkaUsers' Secrets");
            }
        }
        Map<String, GenericKubernetesResource> users = new LinkedHashMap<>();
        for (GenericKubernetesResource user : Objects.custom(objects, "KafkaUser")) {
            users.put(name(user), user);
            for (Object entry : (List<?>) Objects.at(user, "spec", "authorization", "acls").orElse(List.of())) {
                Map<?, ?> acl = (Map<?, ?>) entry;
                Map<?, ?> resource = (Map<?, ?>) acl.get("resource");
                if (!"topic".equals(resource.get("type")) || !coversEventTopic(resource)) {
                    continue;
                }
                Set<String> allowed = EVENT_TOPIC_USERS.getOrDefault(name(user), Set.of());
                for (Object operation : operations(acl)) {
                    if (!allowed.contains(String.valueOf(operation))) {
                        problems.add("KafkaUser " + name(user) + " may " + operation + " the event topic "
                                + EventTopics.EVENTS);
                    }
                }
            }
        }
        for (Deployment deployment : Objects.ofKind(objects, Deployment.class)) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            if (labels == null || !"true".equals(labels.get(KAFKA_CLIENT_LABEL))) {
                continue;
            }
            String service = name(deployment);
            if (!users.containsKey(service)) {
                problems.add("Deployment " + service + " uses Kafka but has no KafkaUser " + service);
            }
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            boolean credentials = nullSafe(container.getEnv()).stream().anyMatch(env -> env.getName().equals("KAFKA_SASL_JAAS_CONFIG")
                    && env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null
                    && service.equals(env.getValueFrom().getSecretKeyRef().getName()));
            if (!credentials) {
                problems.add("Deployment " + service + " does not log in to Kafka as its KafkaUser "
                        + "(KAFKA_SASL_JAAS_CONFIG from Secret " + service + ")");
            }
            String protocol = environmentValue(objects, container, "KAFKA_SECURITY_PROTOCOL");
            if (protocol == null || !protocol.startsWith("SASL_")) {
                problems.add("Deployment " + service + " speaks to Kafka with security protocol " + protocol
                        + " (KAFKA_SECURITY_PROTOCOL must be SASL_PLAINTEXT or SASL_SSL)");
            }
        }
        return problems;
    }

    private static boolean coversEventTopic(Map<?, ?> resource) {
        String topic = String.valueOf(resource.get("name"));
        return "prefix".equals(resource.get("patternType")) ? EventTopics.EVENTS.startsWith(topic)
                : topic.equals("*") || topic.equals(EventTopics.EVENTS);
    }

    private static List<?> operations(Map<?, ?> acl) {
        if (acl.get("operations") instanceof List<?> list) {
            return list;
        }
        return acl.get("operation") == null ? List.of() : List.of(acl.get("operation"));
    }

    public List<String> kafkaMatchesThePlatform(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        List<GenericKubernetesResource> clusters = Objects.custom(objects, "Kafka");
        if (clusters.size() != 1) {
            return List.of("expected one Strimzi Kafka, found " + clusters.size());
        }
        GenericKubernetesResource kafka = clusters.get(0);
        String cluster = kafka.getMetadata().getName();
        Map<String, String> annotations = kafka.getMetadata().getAnnotations() == null ? Map.of()
                : kafka.getMetadata().getAnnotations();
        if (!"enabled".equals(annotations.get("strimzi.io/node-pools")) || !"enabled".equals(annotations.get("strimzi.io/kraft"))) {
            problems.add("Kafka " + cluster + " is not annotated for node pools and KRaft");
        }
        String version = String.valueOf(Objects.at(kafka, "spec", "kafka", "version").orElse(""));
        if (!version.equals(repository.pomProperty("kafka.version"))) {
            problems.add("Kafka " + cluster + " version " + version + " is not the platform's kafka.version "
                    + repository.pomProperty("kafka.version"));
        }
        int nodes = 0;
        for (GenericKubernetesResource pool : Objects.custom(objects, "KafkaNodePool")) {
            if (!cluster.equals(label(pool, "strimzi.io/cluster"))) {
                problems.add("KafkaNodePool " + name(pool) + " belongs to no Kafka (strimzi.io/cluster: "
                        + label(pool, "strimzi.io/cluster") + ")");
                continue;
            }
            nodes += ((Number) Objects.at(pool, "spec", "replicas").orElse(0)).intValue();
        }
        Integer plainPort = null;
        for (Object listener : (List<?>) Objects.at(kafka, "spec", "kafka", "listeners").orElse(List.of())) {
            Map<?, ?> l = (Map<?, ?>) listener;
            if (Boolean.FALSE.equals(l.get("tls")) && "internal".equals(l.get("type"))) {
                plainPort = ((Number) l.get("port")).intValue();
            }
        }
        String bootstrap = cluster + KAFKA_BOOTSTRAP_SUFFIX + ":" + plainPort;
        for (ConfigMap map : Objects.ofKind(objects, ConfigMap.class)) {
            String configured = map.getData() == null ? null : map.getData().get("KAFKA_BOOTSTRAP_SERVERS");
            if (configured != null && !configured.equals(bootstrap)) {
                problems.add("ConfigMap " + name(map) + " KAFKA_BOOTSTRAP_SERVERS is " + configured
                        + ", but Strimzi's bootstrap Service for " + cluster + " is " + bootstrap);
            }
        }
        Set<String> serviceTopics = new java.util.TreeSet<>();
        for (String module : List.of("feed-service", Ingresses.GATEWAY)) {
            serviceTopics.addAll(services.apply(module).values("mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.topic"));
        }
        List<GenericKubernetesResource> topics = Objects.custom(objects, "KafkaTopic");
        Set<String> declared = new java.util.TreeSet<>();
        for (GenericKubernetesResource topic : topics) {
            String topicName = String.valueOf(Objects.at(topic, "spec", "topicName").orElse(name(topic)));
            declared.add(topicName);
            String where = "KafkaTopic " + topicName;
            if (!cluster.equals(label(topic, "strimzi.io/cluster"))) {
                problems.add(where + " is not labelled strimzi.io/cluster: " + cluster);
            }
            int partitions = ((Number) Objects.at(topic, "spec", "partitions").orElse(0)).intValue();
            int replicas = ((Number) Objects.at(topic, "spec", "replicas").orElse(0)).intValue();
            String expectedPartitions = repository.platformDefault("EVENTS_TOPIC_PARTITIONS");
            if (!String.valueOf(partitions).equals(expectedPartitions)) {
                problems.add(where + " has " + partitions + " partitions, the platform " + expectedPartitions);
            }
            String retention = String.valueOf(Objects.at(topic, "spec", "config", "retention.ms").orElse(""));
            if (!retention.equals(repository.platformDefault("EVENTS_TOPIC_RETENTION_MS"))) {
                problems.add(where + " retention.ms is " + retention + ", the platform "
                        + repository.platformDefault("EVENTS_TOPIC_RETENTION_MS"));
            }
            int minIsr = Integer.parseInt(String.valueOf(Objects.at(topic, "spec", "config", "min.insync.replicas").orElse("1")));
            if (replicas < 1 || replicas > nodes) {
                problems.add(where + " has " + replicas + " replicas on " + nodes + " Kafka nodes");
            }
            if (minIsr > replicas) {
                problems.add(where + " min.insync.replicas " + minIsr + " exceeds its " + replicas
                        + " replicas: no write would ever be acknowledged");
            }
        }
        if (!declared.equals(serviceTopics)) {
            problems.add("KafkaTopics " + declared + " are not the topics the services use " + serviceTopics);
        }
        return problems;
    }

    public List<String> keycloakMatchesTheServices(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        List<GenericKubernetesResource> keycloaks = Objects.custom(objects, "Keycloak");
        if (keycloaks.size() != 1) {
            return List.of("expected one Keycloak, found " + keycloaks.size());
        }
        GenericKubernetesResource keycloak = keycloaks.get(0);
        String image = String.valueOf(Objects.at(keycloak, "spec", "image").orElse(""));
        String expectedImage = "quay.io/keycloak/keycloak:" + repository.pomProperty("keycloak.version");
        if (!image.equals(expectedImage)) {
            problems.add("Keycloak image " + image + " is not the platform's " + expectedImage);
        }
        JsonNode realm = RealmImports.readRealm(repository.read(Repository.REALM_FILE));
        String internalUrl = "http://" + keycloakServiceName(objects) + ":" + KEYCLOAK_HTTP_PORT + "/realms/"
                + realm.path("realm").asText();
        for (ConfigMap map : Objects.ofKind(objects, ConfigMap.class)) {
            String url = map.getData() == null ? null : map.getData().get("QUARKUS_OIDC_AUTH_SERVER_URL");
            if (url != null && !url.equals(internalUrl)) {
                problems.add("ConfigMap " + name(map) + " QUARKUS_OIDC_AUTH_SERVER_URL is " + url + ", expected " + internalUrl);
            }
        }
        Optional<String> authHost = Ingresses.hostServing(objects, keycloakServiceName(objects));
        String hostname = String.valueOf(Objects.at(keycloak, "spec", "hostname", "hostname").orElse(""));
        if (authHost.isPresent() && !hostname.equals("https://" + authHost.get())) {
            problems.add("Keycloak hostname " + hostname + " is not its Ingress URL https://" + authHost.get()
                    + ": tokens would carry an issuer browsers and services do not share");
        }
        if (!Boolean.TRUE.equals(Objects.at(keycloak, "spec", "hostname", "backchannelDynamic").orElse(false))) {
            problems.add("Keycloak hostname.backchannelDynamic is not true: the services could not use the in-cluster URL");
        }
        return problems;
    }

    public List<String> realmImportMatchesAuthConfig(List<HasMetadata> objects, Overlay overlay) {
        List<GenericKubernetesResource> imports = Objects.custom(objects, "KeycloakRealmImport");
        if (imports.size() != 1) {
            return List.of("expected one KeycloakRealmImport, found " + imports.size());
        }
        JsonNode realm = RealmImports.readRealm(repository.read(Repository.REALM_FILE));
        String origin = Ingresses.gatewayOrigin(objects).orElse("https://<no gateway Ingress>");
        JsonNode expected = RealmImports.realmImport(realm, overlay.realmVariant(), origin).get("spec");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode actual = mapper.valueToTree(imports.get(0).getAdditionalProperties().get("spec"));
        List<String> problems = new ArrayList<>();
        if (!expected.equals(actual)) {
            problems.add("KeycloakRealmImport " + name(imports.get(0)) + " in " + overlay.path() + " differs from "
                    + Repository.REALM_FILE + " (" + overlay.realmVariant() + " variant, gateway " + origin
                    + "): regenerate it with " + io.eventfeeds.deploy.realm.RealmImportWriter.COMMAND);
        }
        String keycloak = String.valueOf(Objects.at(imports.get(0), "spec", "keycloakCRName").orElse(""));
        if (Objects.custom(objects, "Keycloak").stream().noneMatch(k -> keycloak.equals(name(k)))) {
            problems.add("KeycloakRealmImport names Keycloak " + keycloak + ", which does not exist");
        }
        return problems;
    }

    /**
     * The production realm offers no flow that puts tokens where others can read them or hands passwords to an
     * application: no implicit or password-grant client, redirect URIs without wildcards, TLS for every address,
     * refresh tokens used once, brute-force detection on.
     */
    public List<String> productionRealmIsLockedDown(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (GenericKubernetesResource realmImport : Objects.custom(objects, "KeycloakRealmImport")) {
            JsonNode realm = new ObjectMapper().valueToTree(Objects.at(realmImport, "spec", "realm").orElse(Map.of()));
            String where = "KeycloakRealmImport " + name(realmImport);
            if (!"all".equals(realm.path("sslRequired").asText())) {
                problems.add(where + " sslRequired is " + realm.path("sslRequired").asText() + ", not all");
            }
            if (!realm.path("revokeRefreshToken").asBoolean() || realm.path("refreshTokenMaxReuse").asInt(-1) != 0) {
                problems.add(where + " does not rotate refresh tokens (revokeRefreshToken: true, refreshTokenMaxReuse: 0)");
            }
            if (!realm.path("bruteForceProtected").asBoolean()) {
                problems.add(where + " has brute-force detection off");
            }
            for (JsonNode client : realm.path("clients")) {
                String id = client.path("clientId").asText();
                if (client.path("implicitFlowEnabled").asBoolean()) {
                    problems.add(where + " client " + id + " allows the implicit flow");
                }
                if (client.path("directAccessGrantsEnabled").asBoolean()) {
                    problems.add(where + " client " + id + " allows the password grant");
                }
                for (JsonNode uri : client.path("redirectUris")) {
                    if (uri.asText().contains("*")) {
                        problems.add(where + " client " + id + " accepts redirect URIs by wildcard: " + uri.asText());
                    }
                }
            }
        }
        return problems;
    }

    /** The environment variable of security-support's {@code feeds.auth.allowed-clients}. */
    public static final String ALLOWED_CLIENTS = "FEEDS_AUTH_ALLOWED_CLIENTS";

    /**
     * In production both services accept tokens of listed clients only, so that a client added to the realm for
     * another application cannot call them because its tokens happen to carry the audience.
     */
    public List<String> productionAllowsOnlyListedClients(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (String service : List.of("feed-service", Ingresses.GATEWAY)) {
            Optional<Deployment> deployment = Objects.named(Objects.ofKind(objects, Deployment.class), service);
            if (deployment.isEmpty()) {
                continue;
            }
            Container container = deployment.get().getSpec().getTemplate().getSpec().getContainers().get(0);
            String allowed = environmentValue(objects, container, ALLOWED_CLIENTS);
            if (allowed == null || allowed.isBlank()) {
                problems.add("Deployment " + service + " accepts tokens of every client of the realm (set "
                        + ALLOWED_CLIENTS + ")");
            }
        }
        return problems;
    }

    public List<String> productionCarriesNoSecrets(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (Secret secret : Objects.ofKind(objects, Secret.class)) {
            problems.add("the prod overlay contains Secret " + name(secret) + ": prod only references Secrets");
        }
        for (GenericKubernetesResource realmImport : Objects.custom(objects, "KeycloakRealmImport")) {
            JsonNode realm = new ObjectMapper().valueToTree(Objects.at(realmImport, "spec", "realm").orElse(Map.of()));
            if (realm.has("users")) {
                problems.add("the prod realm import contains users (demo accounts)");
            }
            boolean literalSecret = false;
            for (JsonNode client : realm.path("clients")) {
                literalSecret |= client.has("secret") && !client.path("secret").asText().matches("\\$\\{[A-Z0-9_]+}");
            }
            if (literalSecret || realm.toString().contains("\"credentials\"")) {
                problems.add("the prod realm import contains a client secret or credentials");
            }
        }
        return problems;
    }

    // --- Config references ------------------------------------------------------------------------------------

    /** See {@link ConfigReferences}. */
    public List<String> referencedConfigExists(List<HasMetadata> objects, Map<String, Set<String>> operatorProvided) {
        return ConfigReferences.problems(objects, operatorProvided);
    }

    /** The Secrets k8s/README.md lists as provided by the cluster's operator, with their keys. */
    public Map<String, Set<String>> operatorProvidedSecrets() {
        return ConfigReferences.operatorProvidedSecrets(repository.read("k8s/README.md"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    interface ServiceContainerCheck {
        void check(Deployment deployment, Container container, ServiceConfig config);
    }

    private void forEachServiceContainer(List<HasMetadata> objects, ServiceContainerCheck check) {
        for (Deployment deployment : Objects.ofKind(objects, Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                String module = imageModule(container.getImage());
                if (ServiceConfig.isServiceModule(repository, module)) {
                    check.check(deployment, container, services.apply(module));
                }
            }
        }
    }

    /** The module an image comes from: the last path segment of its repository (registry/eventfeeds/MODULE:tag). */
    public static String imageModule(String image) {
        String withoutDigest = image.split("@", 2)[0];
        String lastSegment = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
        return lastSegment.split(":", 2)[0];
    }

    private static String keycloakServiceName(List<HasMetadata> objects) {
        return Objects.custom(objects, "Keycloak").stream().findFirst()
                .map(k -> name(k) + KEYCLOAK_SERVICE_SUFFIX).orElse("keycloak" + KEYCLOAK_SERVICE_SUFFIX);
    }

    private static Map<String, PodTemplateSpec> podTemplatesSelectedBy(List<HasMetadata> objects, Map<String, String> selector) {
        Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
        for (Deployment deployment : Objects.ofKind(objects, Deployment.class)) {
            PodTemplateSpec template = deployment.getSpec().getTemplate();
            Map<String, String> labels = template.getMetadata().getLabels();
            if (labels != null && labels.entrySet().containsAll(selector.entrySet())) {
                templates.put(name(deployment), template);
            }
        }
        return templates;
    }

    private static Optional<ContainerPort> findPort(List<Container> containers, IntOrString port) {
        for (Container container : containers) {
            for (ContainerPort declared : nullSafe(container.getPorts())) {
                boolean matches = port.getStrVal() != null ? port.getStrVal().equals(declared.getName())
                        : port.getIntVal() != null && port.getIntVal().equals(declared.getContainerPort());
                if (matches) {
                    return Optional.of(declared);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || labels == null) {
            return false;
        }
        Map<String, String> match = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return !match.isEmpty() && labels.entrySet().containsAll(match.entrySet());
    }

    private static boolean isEmpty(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }


    private static String label(HasMetadata object, String key) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(key);
    }

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    private static String where(Deployment deployment, Container container) {
        return "Deployment " + name(deployment) + " container " + container.getName();
    }

    private static String show(IntOrString value) {
        return value == null ? "nothing" : value.getStrVal() != null ? value.getStrVal() : String.valueOf(value.getIntVal());
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
