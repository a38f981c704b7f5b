package dev.botshift.workload.kubernetes;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.Names;
import dev.botshift.yaml.YamlProblem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bot's Deployment template (a plain Deployment manifest) turned into the Deployment of one colour. The template
 * owns everything about the pod (probes, resources, security context, secrets); Botshift sets only name, labels,
 * image, replicas, the http port and the progress deadline.
 */
public final class DeploymentTemplate {
    /** the template shipped inside the jar: {@code manifests/bot/deployment.yaml} */
    public static final String BUILT_IN = "/botshift/manifests/bot/deployment.yaml";
    /** the container Botshift sets the image of; the first container when none has this name */
    public static final String BOT_CONTAINER = "bot";

    private final Deployment template;
    private final String source;

    private DeploymentTemplate(Deployment template, String source) {
        this.template = template;
        this.source = source;
    }

    /** The built-in template, or {@code file} when given. */
    public static DeploymentTemplate load(Path file) {
        if (file == null) {
            try (InputStream in = DeploymentTemplate.class.getResourceAsStream(BUILT_IN)) {
                if (in == null) {
                    throw new IllegalStateException("built-in template " + BUILT_IN + " is missing from the jar");
                }
                return parse(in, "built-in " + BUILT_IN);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in template " + BUILT_IN, e);
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new InvalidInputException(file + ": workload.kubernetes.template cannot be read: " + e.getMessage(), e);
        }
    }

    private static DeploymentTemplate parse(InputStream in, String source) {
        Object parsed;
        try {
            parsed = Serialization.unmarshal(in);
        } catch (RuntimeException e) {
            throw new InvalidInputException(source + ": workload.kubernetes.template is not a valid manifest: "
                    + YamlProblem.in(e).map(YamlProblem::describe).orElse(e.getMessage()), e);
        }
        if (!(parsed instanceof Deployment d)) {
            throw new InvalidInputException(source + ": workload.kubernetes.template must be one apps/v1 Deployment");
        }
        if (d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getSpec() == null
                || d.getSpec().getTemplate().getSpec().getContainers() == null
                || d.getSpec().getTemplate().getSpec().getContainers().isEmpty()) {
            throw new InvalidInputException(source + ": workload.kubernetes.template has no spec.template.spec.containers");
        }
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        for (int c = 0; c < containers.size(); c++) {
            List<EnvVar> env = containers.get(c).getEnv() == null ? List.of() : containers.get(c).getEnv();
            for (int e = 0; e < env.size(); e++) {
                if (env.get(e) == null || env.get(e).getName() == null || env.get(e).getName().isBlank()) {
                    // the API server refuses it; found here, the deploy stops before anything runs
                    throw new InvalidInputException(source + ": workload.kubernetes.template: "
                            + "spec.template.spec.containers[" + c + "].env[" + e + "] has no name");
                }
            }
        }
        return new DeploymentTemplate(d, source);
    }

    /** The Deployment of {@code colour} running {@code version}. */
    public Deployment render(ColourRelease release) {
        Deployment d = Serialization.clone(template);
        String name = Names.slotObject(release.app(), release.slot());
        Map<String, String> selector = selectorLabels(release.app(), release.slot());
        Map<String, String> labels = new LinkedHashMap<>(selector);
        labels.put(Names.VERSION_LABEL, release.version());
        labels.put(Names.MANAGED_BY_LABEL, Names.MANAGER);

        ObjectMeta meta = d.getMetadata() == null ? new ObjectMeta() : d.getMetadata();
        meta.setName(name);
        meta.setNamespace(release.namespace());
        meta.setLabels(merge(meta.getLabels(), labels));
        meta.setResourceVersion(null);
        d.setMetadata(meta);

        d.getSpec().setReplicas(release.replicas());
        d.getSpec().setProgressDeadlineSeconds(release.progressDeadlineSeconds());
        // The selector is immutable on a real API server, so it holds only what never changes for this Deployment.
        d.getSpec().setSelector(new LabelSelector(null, selector));
        PodTemplateSpec pod = d.getSpec().getTemplate();
        ObjectMeta podMeta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        podMeta.setLabels(merge(podMeta.getLabels(), labels));
        pod.setMetadata(podMeta);

        Container bot = botContainer(pod.getSpec().getContainers());
        bot.setImage(release.image());
        setHttpPort(bot, release.port());
        bot.setEnv(withEnv(bot.getEnv(), release.env()));
        return d;
    }

    public String source() {
        return source;
    }

    static Map<String, String> selectorLabels(String app, Slot slot) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Names.APP_LABEL, app);
        selector.put(Names.SLOT_LABEL, slot.label());
        return selector;
    }

    private static Container botContainer(List<Container> containers) {
        return containers.stream().filter(c -> BOT_CONTAINER.equals(c.getName())).findFirst().orElse(containers.get(0));
    }

    private static void setHttpPort(Container bot, int port) {
        if (port <= 0) {
            return;
        }
        List<ContainerPort> ports = bot.getPorts() == null ? new ArrayList<>() : new ArrayList<>(bot.getPorts());
        ContainerPort http = ports.stream().filter(p -> "http".equals(p.getName())).findFirst().orElse(null);
        if (http == null) {
            http = new ContainerPort();
            http.setName("http");
            http.setProtocol("TCP");
            ports.add(0, http);
        }
        http.setContainerPort(port);
        bot.setPorts(ports);
    }

    private static List<EnvVar> withEnv(List<EnvVar> existing, Map<String, String> extra) {
        List<EnvVar> env = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
        if (extra != null) {
            extra.forEach((k, v) -> {
                env.removeIf(e -> k.equals(e.getName()));
                env.add(new EnvVar(k, v, null));
            });
        }
        return env;
    }

    private static Map<String, String> merge(Map<String, String> base, Map<String, String> over) {
        Map<String, String> out = base == null ? new LinkedHashMap<>() : new LinkedHashMap<>(base);
        out.putAll(over);
        return out;
    }
}
