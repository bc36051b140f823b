package dev.tether.mqtt;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The normative statements of the MQTT specifications a test proves, by their ids. The two
 * versions number their statements apart ({@code MQTT-3.1.2-23} is keep alive in 3.1.1 and session
 * state in 5.0), so each id is given for its version. {@code StatementCoverageTest} collects these
 * into {@code CONFORMANCE.md}.
 *
 * <pre>{@code
 * @Test
 * @Statement(v5 = "MQTT-3.1.2-20", v311 = "MQTT-3.1.2-23")
 * void sendsPingreqWhenIdle() { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Statement.List.class)
public @interface Statement {

    /** {@return ids of MQTT 5.0 statements the test proves} */
    String[] v5() default {};

    /** {@return ids of MQTT 3.1.1 statements the test proves} */
    String[] v311() default {};

    /** Several {@link Statement}s on one test. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        /** {@return the statements} */
        Statement[] value();
    }
}
