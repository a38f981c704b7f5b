package dev.botshift.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class (or one test) too slow for the fast lane ({@code mvn -B test}, under 3 minutes): it starts processes, PostgreSQL for
 * a whole rollout, or a mock cluster, or sends thousands of real requests. {@code mvn -B verify} runs it with the
 * integration tests (the failsafe execution {@code slow-tests} in the root pom).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {
}
