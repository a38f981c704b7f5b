package dev.botshift.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An integration test that holds measured times to bounds (a reaction time, a demo's wall time): {@code mvn -B verify}
 * runs it after the other integration tests, in an execution of its own ({@code timed-integration-tests} in the root
 * pom), so that nothing another test left winding down is measured with it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("timed")
public @interface Timed {
}
