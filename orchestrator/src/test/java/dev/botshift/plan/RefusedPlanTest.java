package dev.botshift.plan;

import dev.botshift.core.ExitCode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each row breaks a valid plan in one way; the error must name the file, the line and the field, and no secret. */
class RefusedPlanTest {
    static final String SECRET = "hunter2";
    static final Map<String, String> ENV = Map.of("DB_URL", "jdbc:postgresql://localhost/bot", "DB_PASSWORD", SECRET);

    // Line numbers in the table refer to this text (after the row's replacement).
    static final String VALID = """
            name: sentiment-bot
            release: 2.0.0
            database:
              url: ${env:DB_URL}
              username: bot
              password: ${env:DB_PASSWORD}
              changelog: changelog.yaml
            workload:
              platform: local
              command: [java, -jar, bot.jar]
            traffic:
              steps: [10, 25, 50, 100]
              stepDuration: 10s
            analysis:
              maxErrorRate: 5%
              minRequests: 20
            bake: 10s
            approval: none
            """;

    /**
     * {@link #VALID} on the kubernetes platform (namespace bots, image bot:2), with {@code workload} (lines such as
     * {@code "  replicas: 1\n"}) added to its workload section.
     */
    static String onKubernetes(String workload) {
        return VALID.replace("  platform: local\n  command: [java, -jar, bot.jar]\n",
                "  platform: kubernetes\n" + workload + "  kubernetes: {namespace: bots, image: 'bot:2'}\n");
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            misspelt field         | "  stepDuration: 10s"         | "  stepDuraton: 10s"                      | 13 | traffic.stepDuraton          | unknown field (did you mean 'stepDuration'?)
            unknown top-level      | "bake: 10s"                   | "bakee: 10s"                              | 17 | bakee                        | did you mean 'bake'?
            malformed YAML         | "[10, 25, 50, 100]"           | "[10, 25, 50, 100"                        | 13 | ""                           | malformed YAML
            duplicate field        | "bake: 10s"                   | "bake: 10s\\nbake: 20s"                   | 18 | bake                         | duplicate field
            not a number           | "  minRequests: 20"           | "  minRequests: many"                     | 16 | analysis.minRequests         | expected a whole number, got 'many'
            not a duration         | "bake: 10s"                   | "bake: 10"                                | 17 | bake                         | expected a duration
            zero duration          | "  stepDuration: 10s"         | "  stepDuration: 0s"                      | 13 | traffic.stepDuration         | must be longer than 0
            duration past a year   | "bake: 10s"                   | "bake: 8761h"                             | 17 | bake                         | of at most 8760h, got '8761h'
            not a list             | "[java, -jar, bot.jar]"       | "java -jar bot.jar"                       | 10 | workload.command             | expected a list
            section not a mapping  | "analysis:\\n  maxErrorRate: 5%\\n  minRequests: 20" | "analysis: [1]" | 14 | analysis             | expected a mapping, got a list
            password of wrong type | "${env:DB_PASSWORD}"          | "[hunter2]"                               | 6  | database.password            | expected a single value, got a list
            missing release        | "release: 2.0.0\\n"           | ""                                        | 1  | release                      | required field is missing
            missing changelog      | "  changelog: changelog.yaml\\n" | ""                                     | 3  | database.changelog           | required field is missing
            changelog not found    | "changelog.yaml"              | "nowhere.yaml"                            | 7  | database.changelog           | no such file
            unset variable         | "${env:DB_URL}"               | "${env:NO_SUCH_VAR}"                      | 4  | database.url                 | environment variable NO_SUCH_VAR is not set
            embedded unset var     | "  username: bot"             | "  username: ${env:PREFIX}-bot"           | 5  | database.username            | environment variable PREFIX is not set
            secret in wrong field  | "${env:DB_URL}"               | "${env:DB_PASSWORD}"                      | 4  | database.url                 | must start with 'jdbc:postgresql:'
            not PostgreSQL         | "${env:DB_URL}"               | "jdbc:mysql://db/bot"                     | 4  | database.url                 | must start with 'jdbc:postgresql:'
            name not DNS label     | "name: sentiment-bot"         | "name: Sentiment_Bot"                     | 1  | name                         | DNS-1035 label
            name starts with digit | "name: sentiment-bot"         | "name: 2-sentiment-bot"                   | 1  | name                         | starting with a letter
            name ends with dash    | "name: sentiment-bot"         | "name: sentiment-bot-"                    | 1  | name                         | ending with a letter or digit
            name too long for Service | "name: sentiment-bot"      | "name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"  | 1  | name                         | at most 61 characters
            unknown platform       | "  platform: local"           | "  platform: docker"                      | 9  | workload.platform            | must be one of local, kubernetes, got 'docker'
            no replicas            | "  platform: local"           | "  platform: local\\n  replicas: 0"       | 10 | workload.replicas            | must be at least 1
            kubernetes w/o block   | "  platform: local"           | "  platform: kubernetes"                  | 8  | workload.kubernetes          | required field is missing
            unknown router         | "  steps: [10"                | "  router: istio\\n  steps: [10"          | 12 | traffic.router               | must be one of botshift, gateway-api
            router needs k8s       | "  steps: [10"                | "  router: gateway-api\\n  steps: [10"    | 12 | traffic.router               | needs platform kubernetes
            steps not increasing   | "[10, 25, 50, 100]"           | "[10, 50, 25, 100]"                       | 12 | traffic.steps[2]             | strictly increasing (50 then 25)
            last step not 100      | "[10, 25, 50, 100]"           | "[10, 25, 50]"                            | 12 | traffic.steps[2]             | the last step must be 100
            step out of range      | "[10, 25, 50, 100]"           | "[0, 25, 50, 100]"                        | 12 | traffic.steps[0]             | between 1 and 100
            step not a number      | "[10, 25, 50, 100]"           | "[10, half, 50, 100]"                     | 12 | traffic.steps[1]             | expected a whole number
            rate above 100%        | "5%"                          | "150%"                                    | 15 | analysis.maxErrorRate        | between 0% and 100%
            not a percentage       | "5%"                          | "five"                                    | 15 | analysis.maxErrorRate        | expected a percentage
            unknown provider       | "  minRequests: 20"           | "  minRequests: 20\\n  provider: statsd"  | 17 | analysis.provider            | must be one of router, bot-metrics, combined, prometheus
            prometheus w/o block   | "  minRequests: 20"           | "  minRequests: 20\\n  provider: prometheus" | 14 | analysis.prometheus       | required field is missing
            zero failure limit     | "  minRequests: 20"           | "  minRequests: 20\\n  failureLimit: 0"   | 17 | analysis.failureLimit        | must be at least 1
            empty latency limits   | "  minRequests: 20"           | "  minRequests: 20\\n  latency: {}"       | 17 | analysis.latency             | needs p99Max, maxIncreaseOverBaseline or both
            latency not a duration | "  minRequests: 20"           | "  minRequests: 20\\n  latency: {p99Max: 800}" | 17 | analysis.latency.p99Max | expected a duration
            latency increase > 100% | "  minRequests: 20"          | "  minRequests: 20\\n  latency: {maxIncreaseOverBaseline: 150%}" | 17 | analysis.latency.maxIncreaseOverBaseline | between 0% and 100%
            latency misspelt       | "  minRequests: 20"           | "  minRequests: 20\\n  latency: {p99: 1s}" | 17 | analysis.latency.p99      | unknown field (known fields: maxIncreaseOverBaseline, p99Max)
            latency w/o measure    | "  minRequests: 20"           | "  minRequests: 20\\n  provider: bot-metrics\\n  latency: {p99Max: 1s}" | 18 | analysis.latency | provider bot-metrics measures no latency
            unknown approval       | "approval: none"              | "approval: always"                        | 18 | approval                     | expected one of none, before-contract, every-step
            bad notify variable    | "approval: none"              | "approval: none\\nnotify:\\n  webhookUrlEnv: https://hooks.example/x" | 20 | notify.webhookUrlEnv | name of an environment variable
            source is not a field  | "approval: none"              | "approval: none\\nsource: other.yaml"     | 19 | source                       | unknown field
            """)
    void refused(String why, String find, String replace, int line, String field, String message) throws IOException {
        String text = VALID.replace(unescape(find), unescape(replace));
        assertThat(text).as("the row changes the plan").isNotEqualTo(VALID);
        Path plan = write(text);

        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(plan, ENV));

        assertThat(e).as(why).isNotNull();
        String expectedStart = plan + ":" + line + ":";
        assertThat(e.getMessage()).as(why).contains(expectedStart)
                .contains(field.isEmpty() ? expectedStart : ": " + field + ": ")
                .contains(message)
                .doesNotContain(SECRET);
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(e.problems()).as(why).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(line);
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains(message);
        });
    }

    /** A value quoted back in a refusal shows its control characters, so an escape sequence never reaches a terminal. */
    @org.junit.jupiter.api.Test
    void aQuotedValueShowsItsControlCharacters() throws IOException {
        Path plan = write(VALID.replace("platform: local", "platform: \"lo\\e[2J\\e[31mcal\""));

        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(plan, ENV));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("workload.platform: must be one of ", ", got 'lo\\u001B[2J\\u001B[31mcal'")
                .doesNotContain("\u001b");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            k8s service-selector steps | '  steps: [10, 25, 50, 100]' | 13 | traffic.steps | steps must be [100]
            k8s namespace              | 'namespace: bots'            | 10 | workload.kubernetes.namespace | DNS-1123 label
            """)
    void refusedOnKubernetes(String why, String find, int line, String field, String message) throws IOException {
        String kubernetes = onKubernetes("").replace("traffic:\n", "traffic:\n  router: service-selector\n");
        String broken = find.contains("steps") ? kubernetes : kubernetes.replace(find, "namespace: Bots!");
        Path plan = write(broken);

        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(plan, ENV));

        assertThat(e).as(why).isNotNull();
        assertThat(e.getMessage()).contains(plan + ":" + line + ":").contains(": " + field + ": ").contains(message);
    }

    private Path write(String text) throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, text);
        return plan;
    }

    private static String unescape(String cell) {
        return cell.replace("\\n", "\n");
    }
}
