package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

    private static final String HASH_RULE =
            "topic filter may use '#' only as the whole last level (MQTT-4.7.1-1; MQTT-4.7.1-2 in 3.1.1)";
    private static final String PLUS_RULE =
            "topic filter may use '+' only as a whole level (MQTT-4.7.1-2; MQTT-4.7.1-3 in 3.1.1)";

    private static String rejected(String filter) {
        return assertThrows(IllegalArgumentException.class, () -> TopicFilter.of(filter)).getMessage();
    }

    // The valid filters of the spec's section 4.7.1, and their neighbours.
    @ParameterizedTest
    @ValueSource(strings = {"#", "sport/#", "sport/tennis/#", "/#", "+", "+/tennis/#", "sport/+/player1",
        "+/+", "/+", "+/", "a//b", "/", "$SYS/#", "$SYS/monitor/+", "a/+/+/#", " ", "a b/+"})
    void acceptsValidFilters(String filter) {
        assertEquals(filter, TopicFilter.of(filter).filter());
    }

    @Test
    void rejectsNull() {
        assertEquals("topic filter must not be null", rejected(null));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.3-1", v5 = "MQTT-4.7.3-1")
    void rejectsEmptyFilter() {
        // [MQTT-4.7.3-1]
        assertEquals("topic filter must be at least one character long (MQTT-4.7.3-1)", rejected(""));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.3-2", v5 = {"MQTT-1.5.4-2", "MQTT-4.7.3-2"})
    void rejectsNullCharacter() {
        // [MQTT-4.7.3-2], [MQTT-1.5.4-2]
        assertEquals("topic filter must not contain U+0000 (MQTT-4.7.3-2, MQTT-1.5.4-2): a/\\u0000",
                rejected("a/\u0000"));
    }

    @Test
    @Statement(v5 = "MQTT-1.5.4-1")
    void rejectsUnpairedSurrogate() {
        // [MQTT-1.5.4-1]
        assertTrue(rejected("a/+/\uDBFF").contains("unpaired surrogate U+DBFF at index 4 (MQTT-1.5.4-1"));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.3-3", v5 = "MQTT-4.7.3-3")
    void limitsLengthTo65535BytesOfUtf8() {
        // [MQTT-4.7.3-3]
        assertEquals(65_535, TopicFilter.of("a".repeat(65_533) + "/#").filter().length());
        assertTrue(rejected("a".repeat(65_534) + "/#").contains("was 65536 (MQTT-4.7.3-3)"));
        assertTrue(rejected("ü".repeat(32_767) + "/#").contains("was 65536 (MQTT-4.7.3-3)"));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.1-2", v5 = "MQTT-4.7.1-1")
    void rejectsHashNotAtTheEnd() {
        // [MQTT-4.7.1-1] (MQTT-4.7.1-2 in 3.1.1): the spec's own example.
        assertEquals(HASH_RULE + ": sport/tennis/#/ranking", rejected("sport/tennis/#/ranking"));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.1-2", v5 = "MQTT-4.7.1-1")
    void rejectsHashSharingItsLevel() {
        // [MQTT-4.7.1-1] (MQTT-4.7.1-2 in 3.1.1): the spec's own example.
        assertEquals(HASH_RULE + ": sport/tennis#", rejected("sport/tennis#"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#/", "#/a", "a#", "a/#b", "##", "a/##", "/#/", "#+"})
    @Statement(v311 = "MQTT-4.7.1-2", v5 = "MQTT-4.7.1-1")
    void rejectsOtherMisplacedHashes(String filter) {
        // [MQTT-4.7.1-1]
        assertEquals(HASH_RULE + ": " + filter, rejected(filter));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.1-3", v5 = "MQTT-4.7.1-2")
    void rejectsPlusSharingItsLevel() {
        // [MQTT-4.7.1-2] (MQTT-4.7.1-3 in 3.1.1): the spec's own example.
        assertEquals(PLUS_RULE + ": sport+", rejected("sport+"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+a", "a/+b/c", "a/b+/c", "++", "+/++", "+#", "a/+#"})
    @Statement(v311 = "MQTT-4.7.1-3", v5 = "MQTT-4.7.1-2")
    void rejectsOtherMisplacedPluses(String filter) {
        // [MQTT-4.7.1-2]
        assertEquals(PLUS_RULE + ": " + filter, rejected(filter));
    }

    @Test
    void parsesSharedSubscription() {
        TopicFilter filter = TopicFilter.of("$share/consumer1/sport/tennis/+");
        assertTrue(filter.isShared());
        assertEquals("consumer1", filter.shareName());
        assertEquals("sport/tennis/+", filter.topicFilter());
        assertEquals("$share/consumer1/sport/tennis/+", filter.filter());
        assertTrue(filter.hasWildcards());
    }

    @Test
    void sharedFilterMayStartWithAnEmptyLevel() {
        TopicFilter filter = TopicFilter.of("$share/consumer1//finance");
        assertEquals("consumer1", filter.shareName());
        assertEquals("/finance", filter.topicFilter());
        assertFalse(filter.hasWildcards());
    }

    @Test
    void shareNameMayContainDollarAndSpaces() {
        assertEquals("$ g 1", TopicFilter.of("$share/$ g 1/#").shareName());
    }

    @Test
    void unsharedFilterHasNoShareName() {
        TopicFilter filter = TopicFilter.of("sport/+");
        assertFalse(filter.isShared());
        assertNull(filter.shareName());
        assertEquals("sport/+", filter.topicFilter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share", "$SHARE/g/a", "$shared/g/a", "a/$share/g/b", "$sharex"})
    void onlyTheExactSharePrefixMakesASharedFilter(String filter) {
        assertFalse(TopicFilter.of(filter).isShared());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/", "$share//a", "$share//#"})
    @Statement(v5 = "MQTT-4.8.2-1")
    void rejectsEmptyShareName(String filter) {
        // [MQTT-4.8.2-1]
        assertEquals("shared subscription needs a share name of at least one character (MQTT-4.8.2-1): "
                + filter, rejected(filter));
    }

    @Test
    @Statement(v5 = "MQTT-4.8.2-2")
    void rejectsPlusInShareName() {
        // [MQTT-4.8.2-2]
        assertEquals("share name must not contain '+' (MQTT-4.8.2-2): $share/a+b/x", rejected("$share/a+b/x"));
        assertEquals("share name must not contain '+' (MQTT-4.8.2-2): $share/+/x", rejected("$share/+/x"));
    }

    @Test
    @Statement(v5 = "MQTT-4.8.2-2")
    void rejectsHashInShareName() {
        // [MQTT-4.8.2-2]
        assertEquals("share name must not contain '#' (MQTT-4.8.2-2): $share/#", rejected("$share/#"));
        assertEquals("share name must not contain '#' (MQTT-4.8.2-2): $share/g#/x", rejected("$share/g#/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/g", "$share/g/"})
    @Statement(v5 = "MQTT-4.8.2-2")
    void rejectsShareNameWithoutTopicFilter(String filter) {
        // [MQTT-4.8.2-2]
        assertEquals("share name must be followed by '/' and a topic filter (MQTT-4.8.2-2): " + filter,
                rejected(filter));
    }

    @Test
    void validatesTheFilterAfterTheShareName() {
        // [MQTT-4.7.1-1], [MQTT-4.7.1-2] apply to the filter part, where it starts a level.
        assertEquals(HASH_RULE + ": $share/g/a/#/b", rejected("$share/g/a/#/b"));
        assertEquals(PLUS_RULE + ": $share/g/+a", rejected("$share/g/+a"));
        assertEquals("#", TopicFilter.of("$share/g/#").topicFilter());
        assertEquals("+", TopicFilter.of("$share/g/+").topicFilter());
    }

    @Test
    void reportsWildcardsOfTheFilterPartOnly() {
        assertFalse(TopicFilter.of("a/b").hasWildcards());
        assertFalse(TopicFilter.of("$share/g/a/b").hasWildcards());
        assertTrue(TopicFilter.of("a/+").hasWildcards());
        assertTrue(TopicFilter.of("#").hasWildcards());
    }

    @Test
    void toStringIsTheFilterItself() {
        assertEquals("$share/g/a/+", TopicFilter.of("$share/g/a/+").toString());
        assertEquals("sport/#", TopicFilter.of("sport/#").toString());
    }

    @Test
    void equalWhenTextsAreEqual() {
        assertEquals(TopicFilter.of("a/+"), TopicFilter.of("a/+"));
        assertEquals(TopicFilter.of("a/+").hashCode(), TopicFilter.of("a/+").hashCode());
        assertNotEquals(TopicFilter.of("a/+"), TopicFilter.of("$share/g/a/+"));
        assertNotEquals(TopicFilter.of("$share/g/a/+"), TopicFilter.of("$share/h/a/+"));
    }
}
