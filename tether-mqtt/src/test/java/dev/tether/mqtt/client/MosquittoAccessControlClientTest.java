package dev.tether.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttClient;
import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttSubscribeException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.SubscribeRequest;
import dev.tether.mqtt.Subscription;
import dev.tether.mqtt.testkit.BrokerExtension;
import dev.tether.mqtt.testkit.MqttBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A broker that refuses connections and subscriptions: Mosquitto with its dynamic security plugin
 * (shipped in Debian's package), anonymous clients allowed but not to subscribe to
 * {@code forbidden/#}, and no user known. (Mosquitto's {@code acl_file} cannot do this: it grants
 * every SUBSCRIBE and filters at delivery.)
 */
@Tag("interop")
class MosquittoAccessControlClientTest extends BrokerBehaviour {

    private static final List<Path> PLUGIN_FOLDERS = List.of(Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"), Path.of("/usr/lib/mosquitto"), Path.of("/usr/local/lib"),
            Path.of("/opt/homebrew/lib"));
    private static final Path FOLDER = createFolder();

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.mosquitto(config());

    @Override
    MqttBroker broker() {
        return broker.broker();
    }

    private static Path createFolder() {
        try {
            return readableByAll(Files.createTempDirectory("tether-dynsec"), "rwxr-xr-x");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mosquitto started as root reads the plugin's file as user "mosquitto", after dropping privileges. */
    private static Path readableByAll(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to do.
        }
        return path;
    }

    private static String config() {
        Path plugin = PLUGIN_FOLDERS.stream().map(folder -> folder.resolve("mosquitto_dynamic_security.so"))
                .filter(Files::isReadable).findFirst()
                .orElseThrow(() -> new IllegalStateException("mosquitto_dynamic_security.so not found in "
                        + PLUGIN_FOLDERS + ": it comes with Debian's package 'mosquitto'"));
        Path json = FOLDER.resolve("dynamic-security.json");
        try {
            Files.writeString(json, """
                    {
                      "defaultACLAccess": {"publishClientSend": true, "publishClientReceive": true,
                                           "subscribe": true, "unsubscribe": true},
                      "clients": [],
                      "groups": [{"groupname": "anonymous", "roles": [{"rolename": "restricted"}]}],
                      "roles": [{"rolename": "restricted", "acls": [
                        {"acltype": "subscribePattern", "topic": "forbidden/#", "priority": 0, "allow": false}]}],
                      "anonymousGroup": "anonymous"
                    }
                    """);
            readableByAll(json, "rw-r--r--");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "plugin " + plugin + "\nplugin_opt_config_file " + json + "\n";
    }

    @AfterAll
    static void deleteFolder() throws IOException {
        try (var files = Files.list(FOLDER)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(FOLDER);
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void anUnknownUserIsRefused(ProtocolVersion version) {
        MqttConnectException e = assertThrows(MqttConnectException.class,
                () -> builder(version).credentials("nobody", new char[] {'x'}).connect());
        // Mosquitto 2.0.11 says "not authorized" (0x87; 3.1.1 return code 5) for unknown users and
        // wrong passwords alike, never "bad user name or password".
        assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode());
        assertTrue(e.getMessage().contains("refused the connection"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aForbiddenFilterIsRefused(ProtocolVersion version) throws Exception {
        try (MqttClient client = connect(version)) {
            MqttException e = assertThrows(MqttException.class, () -> client.subscribe("forbidden/#", Qos.AT_LEAST_ONCE));
            // MQTT 5: NOT_AUTHORIZED (0x87); 3.1.1 has only "failure" (0x80).
            assertEquals(version == ProtocolVersion.V5 ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR,
                    e.reasonCode());
            assertTrue(e.getMessage().contains("forbidden/#"), e.getMessage());
            // The client is still usable.
            String topic = uniqueTopic("allowed");
            try (Subscription allowed = client.subscribe(topic, Qos.AT_LEAST_ONCE)) {
                client.publish(topic, "fine", Qos.AT_LEAST_ONCE);
                assertEquals("fine", allowed.receive(WAIT).payloadAsString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aPartlyRefusedSubscriptionLeavesNoSubscriptionBehind(ProtocolVersion version) throws Exception {
        String allowed = uniqueTopic("partly");
        try (MqttClient client = connect(version);
             MqttClient publisher = connect(version)) {
            MessageReader all = new MessageReader(client.messages());
            SubscribeRequest request = SubscribeRequest.newBuilder().filter(allowed, Qos.AT_LEAST_ONCE)
                    .filter("forbidden/" + UUID.randomUUID(), Qos.AT_LEAST_ONCE).build();
            MqttSubscribeException e = assertThrows(MqttSubscribeException.class, () -> client.subscribe(request));
            assertTrue(e.getMessage().contains("forbidden/"), e.getMessage());
            // Every filter's code is there: the first granted, the second refused.
            ReasonCode refused = version == ProtocolVersion.V5 ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR;
            assertEquals(List.of(ReasonCode.GRANTED_QOS_1, refused), e.result().reasonCodes());
            assertEquals(List.of(request.filters().get(1)), e.refusedFilters());
            // The broker granted the first filter; the client reported the subscription as
            // refused, so it must not keep receiving for it. (The round trip lets the broker
            // handle what the client sent before.)
            client.publish(uniqueTopic("round-trip"), "x", Qos.AT_LEAST_ONCE);
            publisher.publish(allowed, "unwanted", Qos.AT_LEAST_ONCE);
            assertNull(all.next(QUIET), "nothing arrives for the refused subscription's granted filter");
        }
    }
}
