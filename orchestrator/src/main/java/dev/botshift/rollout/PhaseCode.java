package dev.botshift.rollout;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The stable name of a {@link Phase}, shown to users and stored in state. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface PhaseCode {
    String value();
}
