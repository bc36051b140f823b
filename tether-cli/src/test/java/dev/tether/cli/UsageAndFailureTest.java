package dev.tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.testkit.ClosedPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exit codes and messages that need no broker: bad usage (2) and an unreachable broker (1). */
@Timeout(60)
class UsageAndFailureTest {

    @Test
    void unknownOptionExitsWith2AndPrintsUsage() {
        Cli.Result result = Cli.run("pub", "-t", "a/b", "-m", "x", "--no-such-flag");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("Unknown option: '--no-such-flag'"), result::toString);
        assertTrue(result.err().contains("Usage: tether pub"), result::toString);
    }

    @Test
    void pubNeedsExactlyOneMessageSource() {
        Cli.Result both = Cli.run("pub", "-t", "a/b", "-m", "x", "-n");
        Cli.Result none = Cli.run("pub", "-t", "a/b");

        assertEquals(2, both.exitCode(), both::toString);
        assertTrue(both.err().contains("mutually exclusive"), both::toString);
        assertEquals(2, none.exitCode(), none::toString);
        assertTrue(none.err().contains("Usage: tether pub"), none::toString);
    }

    @Test
    void missingTopicExitsWith2() {
        Cli.Result result = Cli.run("sub", "-C", "1");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("Missing required option: '--topic=FILTER'"), result::toString);
    }

    @Test
    void unknownMqtt5PropertyIsRefusedByName() {
        Cli.Result result = Cli.run("pub", "-t", "a/b", "-m", "x", "-D", "publish", "colour", "blue");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("-D publish colour: unknown or unsupported MQTT 5 property"), result::toString);
        assertTrue(result.err().contains("content-type"), result::toString);
        assertTrue(result.err().contains("Usage: tether pub"), result::toString);
    }

    @Test
    void unknownDashDCommandAndMissingValueAreRefused() {
        Cli.Result command = Cli.run("pub", "-t", "a/b", "-m", "x", "-D", "disconnect", "reason-string", "bye");
        Cli.Result value = Cli.run("pub", "-t", "a/b", "-m", "x", "-D", "publish", "user-property", "name");
        Cli.Result number = Cli.run("pub", "-t", "a/b", "-m", "x", "-D", "publish", "message-expiry-interval", "soon");

        assertEquals(2, command.exitCode(), command::toString);
        assertTrue(command.err().contains("-D disconnect: unknown command"), command::toString);
        assertEquals(2, value.exitCode(), value::toString);
        assertTrue(value.err().contains("the value of user property name"), value::toString);
        assertEquals(2, number.exitCode(), number::toString);
        assertTrue(number.err().contains("'soon' is not a number"), number::toString);
    }

    @Test
    void propertiesNeedMqtt5AndSubTakesNoPublishProperties() {
        Cli.Result v311 = Cli.run("pub", "-t", "a/b", "-m", "x", "-V", "mqttv311", "-D", "publish", "content-type", "t");
        Cli.Result sub = Cli.run("sub", "-t", "a/b", "-D", "publish", "content-type", "t");

        assertEquals(2, v311.exitCode(), v311::toString);
        assertTrue(v311.err().contains("MQTT 5 properties (-D) need -V mqttv5"), v311::toString);
        assertTrue(v311.err().contains("Usage: tether pub"), v311::toString);
        assertEquals(2, sub.exitCode(), sub::toString);
        assertTrue(sub.err().contains("this command takes -D connect or -D will"), sub::toString);
    }

    @Test
    void badProtocolVersionAndQosExitWith2() {
        Cli.Result version = Cli.run("pub", "-t", "a/b", "-m", "x", "-V", "mqttv31");
        Cli.Result qos = Cli.run("pub", "-t", "a/b", "-m", "x", "-q", "3");

        assertEquals(2, version.exitCode(), version::toString);
        assertTrue(version.err().contains("MQTT 3.1 is not supported"), version::toString);
        assertEquals(2, qos.exitCode(), qos::toString);
        assertTrue(qos.err().contains("'3' is not a QoS"), qos::toString);
    }

    @Test
    void invalidTopicIsBadUsage() {
        Cli.Result result = Cli.run("pub", "-t", "a/#", "-m", "x");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("Usage: tether pub"), result::toString);
    }

    @Test
    void unreadableFileExitsWith1BeforeConnecting() {
        Cli.Result result = Cli.run("pub", "-p", "1", "-t", "a/b", "-f", "/nonexistent/payload.bin");

        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("tether pub: cannot read /nonexistent/payload.bin"), result::toString);
    }

    @Test
    void contradictoryConnectionFlagsAreBadUsage() {
        Cli.Result will = Cli.run("pub", "-t", "a/b", "-m", "x", "--will-payload", "gone");
        Cli.Result url = Cli.run("sub", "-t", "a/b", "-L", "mqtt://localhost", "-p", "1884");
        Cli.Result password = Cli.run("sub", "-t", "a/b", "-P", "secret");

        assertEquals(2, will.exitCode(), will::toString);
        assertTrue(will.err().contains("need --will-topic"), will::toString);
        assertEquals(2, url.exitCode(), url::toString);
        assertTrue(url.err().contains("-L/--url names the broker already"), url::toString);
        assertEquals(2, password.exitCode(), password::toString);
        assertTrue(password.err().contains("-P/--pw needs -u/--username"), password::toString);
        assertTrue(!password.err().contains("secret"), "no password in messages");
    }

    @Test
    void missingSubcommandExitsWith2() {
        assertEquals(2, Cli.run().exitCode());
        assertEquals(2, Cli.run("bench").exitCode());
        assertEquals(2, Cli.run("frobnicate").exitCode());
    }

    @Test
    void connectionRefusedExitsWith1AndPrintsTheReasonCode() {
        try (ClosedPort closed = ClosedPort.open()) { // nothing listens there
            int port = closed.port();

            Cli.Result pub = Cli.run("pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "a/b", "-m", "x");
            Cli.Result sub = Cli.run("sub", "-L", "mqtt://127.0.0.1:" + port, "-t", "a/b");
            Cli.Result bench = Cli.run("bench", "pingpong", "-p", Integer.toString(port), "-n", "1");

            for (Cli.Result result : new Cli.Result[] {pub, sub, bench}) {
                assertEquals(1, result.exitCode(), result::toString);
                assertTrue(result.err().contains("reason code UNSPECIFIED_ERROR (0x80)"), result::toString);
                assertTrue(result.err().contains(Integer.toString(port)), result::toString);
            }
            assertTrue(pub.err().startsWith("tether pub: "), pub::toString);
            assertTrue(bench.err().startsWith("tether bench pingpong: "), bench::toString);
        }
    }

    @Test
    void versionComesFromTheBuild() {
        Cli.Result result = Cli.run("--version");

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().matches("tether \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*\\)\\R"), result::toString);
    }

    @Test
    void helpExitsWith0() {
        Cli.Result result = Cli.run("pub", "--help");

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("-D=CMD ID VALUE") || result.out().contains("-D CMD ID VALUE"), result::toString);
        assertTrue(result.out().contains("--will-topic"), result::toString);
    }
}
