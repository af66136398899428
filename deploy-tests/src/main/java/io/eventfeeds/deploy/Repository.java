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
public record Repository(Path root) {

    public static final String REALM_FILE = "auth-config/src/main/resources/realm/feeds-realm.json";

    public Repository {
        root = root.toAbsolutePath().normalize();
    }

    /** The checkout these tests run in: Surefire passes {@code eventfeeds.root}; otherwise a folder above this one. */
    public static Repository current() {
        Path start = Path.of(System.getProperty("eventfeeds.root", "")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("k8s"))) {
                return new Repository(p);
            }
        }
        throw new IllegalStateException("cannot find the repository root (docker-compose.yml and k8s/) above " + start);
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
        return xpath("pom.xml", "/project/properties/" + name).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("the root pom.xml has no property " + name));
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
        Matcher m = Pattern.compile("(?m)^" + variable + "=\\$\\{" + variable + ":-([^}]*)}").matcher(read("platform"));
        if (!m.find()) {
            throw new IllegalStateException("./platform sets no default for " + variable);
        }
        return m.group(1);
    }
}
