package io.eventfeeds.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import java.util.Map;

/**
 * Gives the app under test a free management port (health, metrics, OpenAPI) that both the app and the test know.
 * Quarkus reports a random management port ({@code test-port=0}) to {@code @QuarkusTest}s only; a packaged app
 * started by {@code @QuarkusIntegrationTest} keeps its production port unless told otherwise, so the port is chosen
 * here and handed to both: {@code test-port} for in-JVM tests, {@code port} for the launched jar, which receives
 * these properties as system properties.
 */
public class ManagementPortTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String port = Integer.toString(FreePort.pick());
        return Map.of("quarkus.management.test-port", port, "quarkus.management.port", port);
    }

    @Override
    public void stop() {
        // Nothing runs here: the port belongs to the app under test.
    }

    /**
     * The full URL of a management path of the app under test, e.g. {@code management("health/ready")}: a full URL,
     * because REST Assured's base URI and port point at the application port.
     */
    public static String management(String path) {
        return TestHTTPResourceManager.getManagementUri() + "/" + path;
    }
}
