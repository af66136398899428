package io.eventfeeds.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.NodeList;

/** The repository being checked: where its files are, and the versions its root pom pins. */
public final class Repository {

    public static final String REALM_FILE = "auth-config/src/main/resources/realm/feeds-realm.json";

    private final Path root;

    public Repository(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The checkout these tests run in: Surefire passes {@code eventfeeds.root}; otherwise the parent folder. */
    public static Repository current() {
        String property = System.getProperty("eventfeeds.root");
        Path start = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("k8s"))) {
                return new Repository(p);
            }
        }
        throw new IllegalStateException("cannot find the repository root (docker-compose.yml and k8s/) above " + start);
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    public String read(String relative) {
        try {
            return Files.readString(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code <properties>} value of the root pom, such as {@code kafka.version}. */
    public String pomProperty(String name) {
        List<String> value = xpath("pom.xml", "/project/properties/" + name);
        if (value.isEmpty()) {
            throw new IllegalStateException("the root pom.xml has no property " + name);
        }
        return value.get(0).trim();
    }

    /** The project modules a module's main code depends on. */
    public List<String> projectDependencies(String module) {
        return xpath(module + "/pom.xml",
                "/project/dependencies/dependency[groupId='io.eventfeeds' and not(scope='test')]/artifactId");
    }

    private List<String> xpath(String pom, String expression) {
        try {
            var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(resolve(pom).toFile());
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(expression, document, XPathConstants.NODESET);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                values.add(nodes.item(i).getTextContent().trim());
            }
            return values;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    /** A default of the ./platform script ({@code NAME=${NAME:-default}}), so manifests can follow the local platform. */
    public String platformDefault(String variable) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(variable) + "=\\$\\{" + Pattern.quote(variable) + ":-([^}]*)}")
                .matcher(read("platform"));
        if (!m.find()) {
            throw new IllegalStateException("./platform sets no default for " + variable);
        }
        return m.group(1);
    }
}
