package dev.tether.benchmarks.e2e;

import dev.tether.mqtt.ProtocolVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of an end-to-end run, listed in {@link EndToEnd}'s Javadoc: each one a
 * {@code key=value} argument, else the system property {@code e2e.<key>}, else its default.
 */
final class Options {

    private final Map<String, String> config;

    Options(Map<String, String> config) {
        this.config = config;
    }

    /** The command line's {@code key=value} arguments, in their order. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("arguments are key=value, not " + arg);
            }
            config.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return config;
    }

    /** The libraries chosen by {@code libraries=}, in that order. */
    List<Library> libraries() {
        List<Library> chosen = new ArrayList<>();
        for (String key : string("libraries", "tether5,tether3,tether5-copyfree,tether3-copyfree,pahov3,pahov5,hivemq,hivemq3,raw").split(",")) {
            chosen.add(switch (key.trim()) {
                case "tether5" -> new TetherLibrary(ProtocolVersion.V5, false);
                case "tether3" -> new TetherLibrary(ProtocolVersion.V3_1_1, false);
                case "tether5-copyfree" -> new TetherLibrary(ProtocolVersion.V5, true);
                case "tether3-copyfree" -> new TetherLibrary(ProtocolVersion.V3_1_1, true);
                case "pahov3" -> new PahoV3Library();
                case "pahov5" -> new PahoV5Library();
                case "hivemq" -> new HiveMqLibrary();
                case "hivemq3" -> new HiveMq3Library();
                case "raw" -> new RawLibrary();
                default -> throw new IllegalArgumentException("unknown library " + key);
            });
        }
        return List.copyOf(chosen);
    }

    /** The name {@code library} goes by in {@code libraries=} and in per-library keys such as {@code idle.pahov3}. */
    static String key(Library library) {
        if (library instanceof TetherLibrary tether) {
            return tether.key();
        }
        return library.getClass().getSimpleName().replace("Library", "").toLowerCase(Locale.ROOT);
    }

    String string(String key, String fallback) {
        return config.getOrDefault(key, System.getProperty("e2e." + key, fallback));
    }

    int integer(String key, int fallback) {
        return Integer.parseInt(string(key, Integer.toString(fallback)).replace("_", ""));
    }

    boolean bool(String key, boolean fallback) {
        return Boolean.parseBoolean(string(key, Boolean.toString(fallback)));
    }
}
