package dev.botshift.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An integration test that holds measured times to bounds (a reaction time, a demo's wall time): {@code mvn -B verify}
 * runs it alone, after the other integration tests, which run two test classes at a time (the failsafe execution
 * {@code timed-integration-tests} in the root pom). Another test's processes on the same two cores would measure the
 * machine, not Botshift.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("timed")
public @interface Timed {
}
