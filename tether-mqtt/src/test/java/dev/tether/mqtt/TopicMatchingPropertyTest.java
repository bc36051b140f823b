package dev.tether.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares the index-walking matcher and validator with obvious implementations that split on
 * {@code /}, over many generated topics and filters. The seed is fixed so a failure repeats.
 */
class TopicMatchingPropertyTest {

    private static final long SEED = 0x7e7be2L;
    private static final String[] LEVELS = {"", "a", "b", "ab", "$SYS", "$", "ü", "😀", " "};

    /** The spec's matching rules, level by level. */
    private static boolean referenceMatches(String filter, String topic) {
        if (filter.startsWith("$share/")) {
            filter = filter.substring(filter.indexOf('/', "$share/".length()) + 1);
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("#") || f[0].equals("+"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** The wildcard placement rules, level by level. */
    private static boolean referenceValidFilter(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean wildcard = level.contains("+") || level.contains("#");
            boolean allowed = level.equals("+") || (level.equals("#") && i == levels.length - 1);
            if (wildcard && !allowed) {
                return false;
            }
        }
        return true;
    }

    private static String join(List<String> levels) {
        return String.join("/", levels);
    }

    private static List<String> randomTopicLevels(Random random) {
        List<String> levels = new ArrayList<>();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            levels.add(LEVELS[random.nextInt(LEVELS.length)]);
        }
        if (join(levels).isEmpty()) {
            // A lone empty level joins to "", which is no topic name at all.
            levels.set(0, "a");
        }
        return levels;
    }

    /** A filter that often resembles the topic, so that matches are as common as misses. */
    private static String randomFilterFor(List<String> topicLevels, Random random) {
        List<String> levels = new ArrayList<>(random.nextBoolean() ? topicLevels : randomTopicLevels(random));
        for (int i = 0; i < levels.size(); i++) {
            if (random.nextInt(4) == 0) {
                levels.set(i, "+");
            }
        }
        switch (random.nextInt(6)) {
            case 0 -> levels.add("#");
            case 1 -> levels.set(levels.size() - 1, "#");
            case 2 -> levels.remove(levels.size() - 1);
            case 3 -> levels.add(LEVELS[random.nextInt(LEVELS.length)]);
            default -> { }
        }
        // A lone empty level joins to "", which is no filter at all.
        String filter = join(levels).isEmpty() ? "#" : join(levels);
        return random.nextInt(8) == 0 ? "$share/g" + random.nextInt(3) + "/" + filter : filter;
    }

    @Test
    void indexWalkingMatcherAgreesWithSplittingReference() {
        Random random = new Random(SEED);
        int matches = 0;
        int runs = 50_000;
        for (int i = 0; i < runs; i++) {
            List<String> topicLevels = randomTopicLevels(random);
            String topic = join(topicLevels);
            String filter = randomFilterFor(topicLevels, random);
            boolean expected = referenceMatches(filter, topic);
            assertEquals(expected, TopicFilter.of(filter).matches(Topic.of(topic)),
                    () -> "filter " + filter + ", topic " + topic);
            matches += expected ? 1 : 0;
        }
        // Both outcomes must be well represented, or the comparison proves little.
        assertTrue(matches > runs / 5 && matches < runs * 4 / 5, "matches: " + matches);
    }

    @Test
    void filterValidationAgreesWithSplittingReference() {
        Random random = new Random(SEED);
        char[] alphabet = {'a', '/', '+', '#', '$'};
        int valid = 0;
        int runs = 50_000;
        for (int i = 0; i < runs; i++) {
            char[] chars = new char[1 + random.nextInt(6)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = alphabet[random.nextInt(alphabet.length)];
            }
            String filter = new String(chars);
            boolean expected = referenceValidFilter(filter);
            boolean actual;
            try {
                TopicFilter.of(filter);
                actual = true;
            } catch (IllegalArgumentException e) {
                actual = false;
            }
            assertEquals(expected, actual, () -> "filter " + filter + " in " + Arrays.toString(chars));
            valid += expected ? 1 : 0;
        }
        assertTrue(valid > runs / 10 && valid < runs * 9 / 10, "valid: " + valid);
    }
}
