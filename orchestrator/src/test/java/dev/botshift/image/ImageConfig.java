package dev.botshift.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The image as orchestrator/pom.xml's {@code image} profile configures Jib, and as the Dockerfile builds it. */
record ImageConfig(List<String> entrypoint, String user, String extraDirectory, String scriptMode) {
    static final Path REPO = Path.of(System.getProperty("botshift.repo", "..")).toAbsolutePath().normalize();
    static final String SCRIPT = "/usr/local/bin/botshift";

    static ImageConfig jib() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document pom = f.newDocumentBuilder().parse(REPO.resolve("orchestrator/pom.xml").toFile());
        Element jib = null;
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(text(p, "artifactId"))) {
                jib = p;
            }
        }
        if (jib == null) {
            throw new AssertionError("no jib-maven-plugin in orchestrator/pom.xml");
        }
        Element container = (Element) jib.getElementsByTagName("container").item(0);
        List<String> entrypoint = new ArrayList<>();
        NodeList args = ((Element) container.getElementsByTagName("entrypoint").item(0)).getElementsByTagName("arg");
        for (int i = 0; i < args.getLength(); i++) {
            entrypoint.add(args.item(i).getTextContent().strip());
        }
        Element extra = (Element) jib.getElementsByTagName("extraDirectories").item(0);
        return new ImageConfig(entrypoint, text(container, "user"),
                text(extra, "path").replace("${project.basedir}", REPO.resolve("orchestrator").toString()),
                text((Element) extra.getElementsByTagName("permission").item(0), "mode"));
    }

    /** ENTRYPOINT and USER of the Dockerfile. */
    static List<String> dockerfile(String instruction) throws Exception {
        List<String> values = new ArrayList<>();
        for (String line : Files.readAllLines(REPO.resolve("Dockerfile"))) {
            if (line.startsWith(instruction + " ")) {
                values.add(line.substring(instruction.length() + 1).strip());
            }
        }
        return values;
    }

    private static String text(Element parent, String tag) {
        NodeList n = parent.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().strip();
    }
}
