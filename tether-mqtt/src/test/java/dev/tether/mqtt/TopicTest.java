package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTest {

    private static String rejected(String name) {
        return assertThrows(IllegalArgumentException.class, () -> Topic.of(name)).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "sport/tennis/player1", "/", "//", "/finance", "a/", " ", "a b/c",
        "$SYS/broker/uptime", "häuser/küche", "emoji/😀", "a$b/%/&/*"})
    void acceptsValidNames(String name) {
        assertEquals(name, Topic.of(name).name());
    }

    @Test
    void rejectsNull() {
        assertEquals("topic name must not be null", rejected(null));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.3-1", v5 = "MQTT-4.7.3-1")
    void rejectsEmptyName() {
        // [MQTT-4.7.3-1]
        assertEquals("topic name must be at least one character long (MQTT-4.7.3-1)", rejected(""));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.1-1", v5 = "MQTT-4.7.0-1")
    void rejectsSingleLevelWildcard() {
        // [MQTT-3.3.2-2], [MQTT-4.7.1-1] in 3.1.1
        assertEquals("topic name must not contain wildcard '+' (MQTT-3.3.2-2; MQTT-4.7.1-1 in 3.1.1): a/+/b",
                rejected("a/+/b"));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.1-1", v5 = "MQTT-4.7.0-1")
    void rejectsMultiLevelWildcard() {
        // [MQTT-3.3.2-2], [MQTT-4.7.1-1] in 3.1.1
        assertEquals("topic name must not contain wildcard '#' (MQTT-3.3.2-2; MQTT-4.7.1-1 in 3.1.1): a/#",
                rejected("a/#"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "#", "sport+", "a/b#", "a/c+d/e"})
    @Statement(v311 = "MQTT-3.3.2-2", v5 = "MQTT-3.3.2-2")
    void rejectsWildcardCharactersAnywhereInName(String name) {
        // Unlike in a filter, a wildcard is not allowed even inside a level. [MQTT-3.3.2-2]
        assertTrue(rejected(name).contains("must not contain wildcard"));
    }

    @Test
    @Statement(v311 = {"MQTT-1.5.3-2", "MQTT-4.7.3-2"}, v5 = {"MQTT-1.5.4-2", "MQTT-4.7.3-2"})
    void rejectsNullCharacterAndShowsItEscaped() {
        // [MQTT-4.7.3-2], [MQTT-1.5.4-2]
        assertEquals("topic name must not contain U+0000 (MQTT-4.7.3-2, MQTT-1.5.4-2): a\\u0000b",
                rejected("a\u0000b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\uD800", "a\uD800b", "\uDC00a", "a/\uDE00\uD83D"})
    @Statement(v311 = "MQTT-1.5.3-1", v5 = "MQTT-1.5.4-1")
    void rejectsUnpairedSurrogates(String name) {
        // [MQTT-1.5.4-1]: an unpaired surrogate has no UTF-8 encoding.
        String message = rejected(name);
        assertTrue(message.contains("unpaired surrogate"), message);
        assertTrue(message.contains("(MQTT-1.5.4-1"), message);
    }

    @Test
    void namesTheSurrogateAndWhereItIs() {
        assertEquals("topic name must be well-formed UTF-16, found an unpaired surrogate U+D800 at index 2"
                + " (MQTT-1.5.4-1; MQTT-1.5.3-1 in 3.1.1): a/\\uD800", rejected("a/\uD800"));
    }

    @Test
    @Statement(v311 = "MQTT-4.7.3-3", v5 = "MQTT-4.7.3-3")
    void acceptsExactly65535Bytes() {
        // [MQTT-4.7.3-3]
        assertEquals(65_535, Topic.of("a".repeat(65_535)).name().length());
    }

    @Test
    @Statement(v311 = "MQTT-4.7.3-3", v5 = "MQTT-4.7.3-3")
    void rejects65536Bytes() {
        // [MQTT-4.7.3-3]
        String message = rejected("a".repeat(65_536));
        assertTrue(message.startsWith(
                "topic name must encode to at most 65535 bytes of UTF-8, was 65536 (MQTT-4.7.3-3): aaa"), message);
    }

    @Test
    void truncatesVeryLongNamesInMessages() {
        String message = rejected("a".repeat(65_536));
        assertTrue(message.endsWith("a... (65536 chars)"), message);
        assertTrue(message.length() < 300, "message length " + message.length());
    }

    @Test
    void countsTwoByteCharactersAsTwoBytes() {
        // [MQTT-4.7.3-3]: the limit is in bytes of UTF-8, not in chars.
        String fits = "é".repeat(32_767) + "a";
        assertEquals(32_768, Topic.of(fits).name().length());
        assertTrue(rejected(fits + "a").contains("was 65536 (MQTT-4.7.3-3)"));
    }

    @Test
    void countsThreeByteCharactersAsThreeBytes() {
        String fits = "€".repeat(21_845);
        assertEquals(21_845, Topic.of(fits).name().length());
        assertTrue(rejected(fits + "a").contains("was 65536 (MQTT-4.7.3-3)"));
    }

    @Test
    void countsSurrogatePairsAsFourBytes() {
        String fits = "😀".repeat(16_383) + "aaa";
        assertEquals(32_769, Topic.of(fits).name().length());
        assertTrue(rejected(fits + "a").contains("was 65536 (MQTT-4.7.3-3)"));
    }

    @Test
    void toStringIsTheNameItself() {
        assertEquals("sport/tennis", Topic.of("sport/tennis").toString());
    }

    @Test
    void equalWhenNamesAreEqual() {
        assertEquals(Topic.of("a/b"), Topic.of("a/b"));
        assertEquals(Topic.of("a/b").hashCode(), Topic.of("a/b").hashCode());
    }

    @Test
    void namesDifferingInCaseOrTrailingSlashAreDifferentTopics() {
        // [MQTT-4.7.3-4]: no normalisation.
        assertNotEquals(Topic.of("a/b"), Topic.of("A/b"));
        assertNotEquals(Topic.of("a/b"), Topic.of("a/b/"));
        assertNotEquals(Topic.of("a/b"), TopicFilter.of("a/b"));
    }

    @Test
    void levelsKeepEmptyLevels() {
        assertEquals(List.of("", "a", "", "b", ""), Topic.of("/a//b/").levels());
        assertEquals(List.of("", ""), Topic.of("/").levels());
        assertEquals(List.of("sport"), Topic.of("sport").levels());
    }

    @Test
    void systemTopicsStartWithDollar() {
        assertTrue(Topic.of("$SYS/broker/uptime").isSystem());
        assertTrue(Topic.of("$").isSystem());
        assertFalse(Topic.of("a/$SYS").isSystem());
        assertFalse(Topic.of("/$SYS").isSystem());
    }

    @Test
    void matchesFilterGivenAsString() {
        Topic topic = Topic.of("sport/tennis/player1");
        assertTrue(topic.matches("sport/+/player1"));
        assertTrue(topic.matches("sport/#"));
        assertFalse(topic.matches("sport/+"));
    }

    @Test
    void matchesParsedFilter() {
        assertTrue(Topic.of("a/b").matches(TopicFilter.of("a/+")));
        assertFalse(Topic.of("a/b").matches(TopicFilter.of("b/+")));
    }

    @Test
    void matchingAgainstAnInvalidFilterThrows() {
        String message = assertThrows(IllegalArgumentException.class, () -> Topic.of("a/b").matches("a/b+"))
                .getMessage();
        assertTrue(message.contains("'+' only as a whole level"), message);
    }
}
