package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The matching examples of the spec's section 4.7, and the corners around them. */
class TopicMatchingTest {

    private static void assertMatches(String filter, String topic) {
        assertTrue(TopicFilter.of(filter).matches(topic), filter + " should match " + topic);
        assertTrue(TopicFilter.of(filter).matches(Topic.of(topic)), filter + " should match " + topic);
    }

    private static void assertNoMatch(String filter, String topic) {
        assertFalse(TopicFilter.of(filter).matches(topic), filter + " should not match " + topic);
        assertFalse(TopicFilter.of(filter).matches(Topic.of(topic)), filter + " should not match " + topic);
    }

    @Test
    void hashMatchesEverythingBelowItsLevel() {
        assertMatches("sport/tennis/player1/#", "sport/tennis/player1/ranking");
        assertMatches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon");
        assertNoMatch("sport/tennis/player1/#", "sport/tennis/player2");
        assertNoMatch("sport/tennis/player1/#", "sport/tennis");
    }

    @Test
    void hashMatchesParentLevel() {
        assertMatches("sport/tennis/player1/#", "sport/tennis/player1");
        assertMatches("sport/#", "sport");
        assertNoMatch("sport/#", "sports");
    }

    @Test
    void hashAloneMatchesEveryTopicNotStartingWithDollar() {
        assertMatches("#", "sport");
        assertMatches("#", "/");
        assertMatches("#", "a/b/c/d");
        assertMatches("#", "a/$SYS");
    }

    @Test
    void plusMatchesExactlyOneLevel() {
        assertMatches("sport/tennis/+", "sport/tennis/player1");
        assertMatches("sport/tennis/+", "sport/tennis/player2");
        assertNoMatch("sport/tennis/+", "sport/tennis/player1/ranking");
        assertNoMatch("sport/tennis/+", "sport/tennis");
    }

    @Test
    void plusDoesNotMatchAMissingLevelButMatchesAnEmptyOne() {
        assertNoMatch("sport/+", "sport");
        assertMatches("sport/+", "sport/");
    }

    @Test
    void leadingSlashMakesAnEmptyFirstLevel() {
        assertMatches("+/+", "/finance");
        assertMatches("/+", "/finance");
        assertNoMatch("+", "/finance");
    }

    @Test
    void plusMatchesEmptyLevels() {
        assertMatches("a/+/b", "a//b");
        assertMatches("+/b", "/b");
        assertMatches("+/+", "/");
        assertMatches("+/+/+", "//");
        assertNoMatch("+", "/");
    }

    @Test
    void emptyLevelsMustMatchExactly() {
        assertMatches("a//b", "a//b");
        assertNoMatch("a//b", "a/b");
        assertNoMatch("a/b", "a//b");
        assertMatches("/", "/");
        assertNoMatch("//", "/");
    }

    @Test
    void trailingSlashMakesADistinctTopic() {
        assertNoMatch("a", "a/");
        assertNoMatch("a/", "a");
        assertMatches("a/", "a/");
        assertMatches("a/#", "a/");
        assertMatches("a/+", "a/");
        assertMatches("a/+/#", "a/");
        assertNoMatch("a/+/#", "a");
    }

    @Test
    void matchingIsExactAndCaseSensitive() {
        // [MQTT-4.7.3-4]: no normalisation before matching.
        assertMatches("sport/tennis", "sport/tennis");
        assertNoMatch("sport/tennis", "Sport/tennis");
        assertNoMatch("sport/tennis", "sport/tennis ");
        assertNoMatch("sport/tennis", "sport/tenni");
        assertNoMatch("sport/tenni", "sport/tennis");
        assertMatches("häuser/+/😀", "häuser/küche/😀");
    }

    @Test
    void wildcardFirstFilterDoesNotMatchDollarTopics() {
        // [MQTT-4.7.2-1]
        assertNoMatch("#", "$SYS/broker/uptime");
        assertNoMatch("#", "$SYS");
        assertNoMatch("+/monitor/Clients", "$SYS/monitor/Clients");
        assertNoMatch("+", "$SYS");
        assertNoMatch("+/#", "$SYS/x");
    }

    @Test
    void filterSpellingOutDollarMatchesDollarTopics() {
        // [MQTT-4.7.2-1]
        assertMatches("$SYS/#", "$SYS/broker/uptime");
        assertMatches("$SYS/#", "$SYS/");
        assertMatches("$SYS/#", "$SYS");
        assertMatches("$SYS/monitor/+", "$SYS/monitor/Clients");
        assertMatches("$SYS/+/Clients", "$SYS/monitor/Clients");
    }

    @Test
    void dollarRuleAppliesOnlyToTheFirstCharacterOfTheTopic() {
        // [MQTT-4.7.2-1] speaks of topic names beginning with $.
        assertMatches("a/+", "a/$SYS");
        assertMatches("+/$SYS", "a/$SYS");
        assertMatches("+", "a$");
    }

    @Test
    void sharedFilterMatchesWithThePartAfterTheShareName() {
        TopicFilter shared = TopicFilter.of("$share/workers/sport/+");
        assertTrue(shared.matches("sport/tennis"));
        assertFalse(shared.matches("workers/sport/tennis"));
        assertFalse(shared.matches("$share/workers/sport/tennis"));
        assertTrue(TopicFilter.of("$share/g//finance").matches("/finance"));
    }

    @Test
    void sharedWildcardFilterDoesNotMatchDollarTopics() {
        // [MQTT-4.7.2-1] applies to the filter after "$share/{ShareName}/".
        assertFalse(TopicFilter.of("$share/g/#").matches("$SYS/x"));
        assertTrue(TopicFilter.of("$share/g/#").matches("x"));
        assertTrue(TopicFilter.of("$share/g/$SYS/#").matches("$SYS/x"));
    }

    @Test
    void topicMatchesLikeAiomqtt() {
        assertTrue(Topic.of("a/b/c").matches("a/+/c"));
        assertFalse(Topic.of("a/b/c").matches("a/+"));
    }

    @Test
    void matchingAnInvalidTopicNameThrows() {
        TopicFilter filter = TopicFilter.of("#");
        String message = assertThrows(IllegalArgumentException.class, () -> filter.matches("a/+")).getMessage();
        assertTrue(message.contains("(MQTT-3.3.2-2"), message);
        assertThrows(IllegalArgumentException.class, () -> filter.matches(""));
        assertThrows(IllegalArgumentException.class, () -> filter.matches((String) null));
    }

    /**
     * Bytes allocated so far by the current thread. Reached by reflection because the tests are
     * compiled into the module, which does not read java.management; they run on the class path.
     */
    private static long allocatedBytes() throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
        return (long) allocated.invoke(threads, Thread.currentThread().threadId());
    }

    @Test
    void matchingAllocatesNothing() throws ReflectiveOperationException {
        TopicFilter filter = TopicFilter.of("$share/g/sport/+/player1/#");
        Topic topic = Topic.of("sport/tennis/player1/score/wimbledon");
        String name = topic.name();
        int matched = 0;
        for (int i = 0; i < 1_000; i++) {
            matched += (filter.matches(topic) ? 1 : 0) + (filter.matches(name) ? 1 : 0);
        }
        allocatedBytes();
        long before = allocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            matched += (filter.matches(topic) ? 1 : 0) + (filter.matches(name) ? 1 : 0);
        }
        long allocated = allocatedBytes() - before;
        assertEquals(202_000, matched);
        // 200,000 calls: even 8 bytes a call would be 1.6 MB; the slack covers the measuring itself.
        assertTrue(allocated < 16_384, "allocated " + allocated + " bytes");
    }
}
